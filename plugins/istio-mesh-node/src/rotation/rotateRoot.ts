import { sameCertificates } from '../ca/certificateFacts';
import { AppsV1Api } from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import { CacertsBundle, cacertsFiles } from '../ca/bundle';
import { createRootInCustody } from '../ca/custody/createRootInCustody';
import { RootCustody } from '../ca/custody/rootCaSignerFromConfig';
import { createIntermediateCa } from '../ca/intermediateCa';
import { createRootCa } from '../ca/rootCa';
import {
  bothRootsPem,
  cacertsForPhase,
  RotationRoots,
} from '../ca/phaseCacerts';
import {
  memberRotationState,
  MemberRotationState,
  phaseOrderProblem,
  RotationPhase,
  ROTATION_PHASES,
  STATE_AFTER,
} from '../ca/rootRotation';
import { validateCacerts } from '../ca/validateCacerts';
import { verifyChain } from '../ca/verifyChain';
import { MeshCluster } from '../clusters/meshCluster';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { restartIstiod } from '../istiod/restart';
import { readCacertsSecret, storeCacerts } from '../join/cacerts';
import { MeshMember, readMembers } from '../join/members';
import { underMeshLease } from '../join/meshLease';
import {
  describeKubeError,
  MeshStepError,
  MeshWideStepError,
} from '../mesh/errors';
import { ISTIO_SYSTEM } from '../mesh/names';
import { StepLog } from '../progress/stepLog';
import { waitFor } from '../progress/waitFor';
import { readMeshStatus } from '../status/meshStatus';
import { issueProbeCertificate } from '../trust/probeCertificate';
import { publishedRoots } from '../trust/publishedRoots';

const STEP = 'root rotation';
/** How long istiod may take to publish what a phase wrote before it is restarted. */
const RELOAD_SECONDS = 30;
/** How long a phase's proof may take after every member was written. */
const PROOF_SECONDS = 120;

/** @public */
export interface RootRotationRequest {
  meshId: string;
  phase: RotationPhase;
  /** The last phase runs only once the user says workload certificates turned over. */
  workloadsTurnedOver?: boolean;
  dryRun: boolean;
}

/** @public */
export interface RootRotationResult {
  phase: RotationPhase;
  /** Each member's state before the phase, by cluster. */
  before: Record<string, MemberRotationState>;
  /** The members whose cacerts the phase wrote (or would write, in a dry run). */
  changed: string[];
  summary: string[];
}

/**
 * Whether istiod takes a change of its root bundle without a restart: only with
 * ISTIO_MULTIROOT_MESH=true (pilot/pkg/bootstrap/istio_ca.go, handleEvent).
 */
async function reloadsRootChanges(cluster: MeshCluster): Promise<boolean> {
  const d = await cluster
    .kubeConfig()
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ name: 'istiod', namespace: ISTIO_SYSTEM });
  return (d.spec?.template.spec?.containers ?? []).some(c =>
    (c.env ?? []).some(
      e => e.name === 'ISTIO_MULTIROOT_MESH' && e.value === 'true',
    ),
  );
}

function describeRoots(set: X509Certificate[], r: RotationRoots): string {
  const old = new X509Certificate(r.oldRootPem);
  const next = new X509Certificate(r.newRootPem);
  if (set.length === 0) return 'no root';
  return set
    .map(c => {
      if (c.raw.equals(old.raw)) return 'the old root';
      if (c.raw.equals(next.raw)) return 'the new root';
      return `another root (${c.subject.replace(/\n/g, ', ')})`;
    })
    .join(' and ');
}

/** The roots every istiod must publish once a phase is done. */
function expectedRoots(
  phase: RotationPhase,
  r: RotationRoots,
): X509Certificate[] {
  const old = new X509Certificate(r.oldRootPem);
  const next = new X509Certificate(r.newRootPem);
  return phase === 'drop-old-root' ? [next] : [old, next];
}

async function membersPublishing(
  members: MeshMember[],
  want: X509Certificate[],
): Promise<{ behind: MeshMember[]; seen: Map<string, X509Certificate[]> }> {
  const seen = new Map<string, X509Certificate[]>();
  await Promise.all(
    members.map(async m =>
      seen.set(m.cluster.name, await publishedRoots(m.cluster)),
    ),
  );
  return {
    behind: members.filter(
      m => !sameCertificates(seen.get(m.cluster.name)!, want),
    ),
    seen,
  };
}

/**
 * The trust proof of the reissue phase: every ordered pair of members trusts each
 * other's workloads, and each istiod now issues under the new root alone.
 */
async function reissueProof(
  env: MeshEnvironment,
  meshId: string,
  r: RotationRoots,
): Promise<string[]> {
  const status = await readMeshStatus(env.clusters, undefined);
  const mesh = status.meshes.find(m => m.meshId === meshId);
  if (!mesh) return [`no member of mesh ${meshId} could be read`];
  const problems = mesh.trust
    .filter(t => t.state !== 'trusted')
    .map(t => t.detail);
  for (const m of mesh.members) {
    const chain = m.istiodView?.probeCertificate?.chainPem;
    const verdict = chain
      ? verifyChain(chain, r.newRootPem)
      : { trusted: false, reason: 'its istiod issued no certificate' };
    if (!verdict.trusted) {
      problems.push(
        `${m.cluster}'s istiod does not issue under the new root yet (${verdict.reason})`,
      );
    }
  }
  return problems;
}

type CacertsFiles = Partial<Record<string, string>>;

/**
 * Each member's cacerts and its place in the rotation, read in parallel. The files are
 * kept for the write: under the mesh Lease, nobody else changes them meanwhile.
 */
async function readStates(
  members: MeshMember[],
  r: RotationRoots,
): Promise<{
  states: Record<string, MemberRotationState>;
  files: Map<string, CacertsFiles | undefined>;
}> {
  const certs = {
    oldRoot: new X509Certificate(r.oldRootPem),
    newRoot: new X509Certificate(r.newRootPem),
  };
  const read = await Promise.all(
    members.map(
      async m => [m.cluster.name, await readCacertsSecret(m.cluster)] as const,
    ),
  );
  const states: Record<string, MemberRotationState> = {};
  for (const [cluster, files] of read) {
    states[cluster] =
      files?.['root-cert.pem'] && files['cert-chain.pem']
        ? memberRotationState(
            {
              rootCert: files['root-cert.pem'],
              certChain: files['cert-chain.pem'],
            },
            certs,
          )
        : 'foreign';
  }
  return { states, files: new Map(read) };
}

/**
 * What must hold before a phase changes anything: the phase before it was proven, by
 * istiod itself. The first phase needs nothing; the last also needs the user's word
 * that workload certificates from the old intermediates are gone.
 */
async function previousPhaseProblems(
  run: { env: MeshEnvironment; request: RootRotationRequest },
  members: MeshMember[],
  r: RotationRoots,
): Promise<{ problem: string; fix: string } | undefined> {
  const { env, request } = run;
  if (request.phase === 'reissue') {
    const { behind, seen } = await membersPublishing(
      members,
      expectedRoots('trust-both', r),
    );
    if (behind.length === 0) return undefined;
    return {
      problem: `phase trust-both is not proven: ${behind
        .map(
          m =>
            `istiod in ${m.cluster.name} publishes ${describeRoots(
              seen.get(m.cluster.name)!,
              r,
            )}`,
        )
        .join('; ')}`,
      fix: 're-run phase trust-both, which restarts an istiod that did not reload',
    };
  }
  if (request.phase === 'drop-old-root') {
    if (!request.workloadsTurnedOver) {
      return {
        problem:
          'workloads may still hold certificates from the old intermediates, which only the old root verifies',
        fix: 'wait until every workload certificate issued before the reissue phase has been renewed (half of its lifetime: 12 h for the default 24 h), or restart the workloads, then re-run with workloadsTurnedOver',
      };
    }
    const problems = await reissueProof(env, request.meshId, r);
    if (problems.length === 0) return undefined;
    return {
      problem: `phase reissue is not proven: ${problems.join('; ')}`,
      fix: 're-run phase reissue',
    };
  }
  return undefined;
}

/** Whether the cluster's istiod now issues workload certificates under the new root. */
async function issuesUnderNewRoot(
  cluster: MeshCluster,
  r: RotationRoots,
): Promise<boolean> {
  try {
    const issued = await issueProbeCertificate(cluster, bothRootsPem(r));
    return verifyChain(issued.chainPem, r.newRootPem).trusted;
  } catch {
    return false;
  }
}

/** Waits for a written member's istiod to publish what the phase expects; restarts it if it must. */
async function awaitIstiod(
  env: MeshEnvironment,
  member: MeshMember,
  phase: RotationPhase,
  r: RotationRoots,
  log: StepLog,
): Promise<void> {
  const cluster = member.cluster;
  const want = expectedRoots(phase, r);
  const taken =
    phase === 'reissue'
      ? () => issuesUnderNewRoot(cluster, r)
      : async () => sameCertificates(await publishedRoots(cluster), want);
  // The reissue keeps the root bytes, which istiod reloads without a restart.
  const reloads = phase === 'reissue' || (await reloadsRootChanges(cluster));
  if (reloads && (await waitFor(RELOAD_SECONDS, taken))) return;
  log.info(
    `cluster ${cluster.name}: restarting istiod, ${
      reloads
        ? `which did not publish the new bundle in ${RELOAD_SECONDS}s`
        : 'which takes a changed root bundle only at a restart without ISTIO_MULTIROOT_MESH=true'
    }`,
  );
  if (!(await restartIstiod(cluster, env.timeouts.helmSeconds))) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `istiod did not come back within ${env.timeouts.helmSeconds}s of its restart`,
      'see kubectl -n istio-system get pods and the istiod log, then re-run this phase',
    );
  }
}

function phaseLine(
  phase: RotationPhase,
  cluster: string,
  before: MemberRotationState,
): string {
  switch (phase) {
    case 'trust-both':
      return `${cluster}: root-cert.pem becomes the old and the new root; the intermediate stays (was ${before})`;
    case 'reissue':
      return `${cluster}: a new intermediate signed by the new root, its chain ending there; root-cert.pem keeps both roots (was ${before})`;
    default:
      return `${cluster}: root-cert.pem becomes the new root only (was ${before})`;
  }
}

/**
 * One phase of a mesh root rotation without downtime (docs/istio-procedure.md §9): it
 * checks that every member finished the phase before and that istiod proved it, writes
 * each member's cacerts that is behind, waits for each istiod to take it (restarting
 * one that must be), and proves the phase as istiod sees it. Members already past the
 * phase are left alone, so a re-run after a failure finishes the phase.
 *
 * @public
 */
export async function rotateMeshRoot(run: {
  env: MeshEnvironment;
  nextRoot: RootCustody;
  request: RootRotationRequest;
  holder: string;
  log: StepLog;
}): Promise<RootRotationResult> {
  const { request } = run;
  if (!ROTATION_PHASES.includes(request.phase)) {
    throw new Error(
      `phase must be ${ROTATION_PHASES.join(', ')}; got "${request.phase}"`,
    );
  }
  if (request.dryRun) return rotate(run, run.env);
  return underMeshLease(run, env => rotate(run, env));
}

async function rotate(
  run: {
    nextRoot: RootCustody;
    request: RootRotationRequest;
    log: StepLog;
  },
  env: MeshEnvironment,
): Promise<RootRotationResult> {
  const { nextRoot, request, log } = run;
  const { phase, meshId, dryRun } = request;
  const { members: all } = await readMembers(env.clusters, { step: STEP, log });
  const members = all.filter(m => m.meshId === meshId);
  if (members.length === 0) {
    throw new MeshWideStepError(
      meshId,
      STEP,
      `mesh ${meshId} has no member`,
      'name the mesh ID its members were installed with',
    );
  }
  if (phase === 'trust-both' && !dryRun) {
    const made = await createRootInCustody(nextRoot.config, name =>
      findCluster(env, name).kubeConfig(),
    ).catch(e => {
      throw new MeshWideStepError(
        meshId,
        STEP,
        `cannot make the new root in ${
          nextRoot.signer.description
        } (${describeKubeError(e)})`,
        'give the portal the right to create it there, or put a root there yourself (istio-mesh ca root)',
      );
    });
    if (made) log.info(`made the new root in ${nextRoot.signer.description}`);
  }
  const r: RotationRoots = {
    // From custody, not from where it is published: the roots every member will trust.
    oldRootPem: await env.rootCa.custodyRootCertificatePem(),
    newRootPem: await nextRoot.signer
      .custodyRootCertificatePem()
      .catch(async e => {
        if (phase === 'trust-both' && dryRun) {
          // Only for the plan: a root no member can hold, dropped when the run ends.
          log.info(`would make the new root in ${nextRoot.signer.description}`);
          return (await createRootCa({ keySize: 2048 })).certPem;
        }
        throw new MeshWideStepError(
          meshId,
          STEP,
          `cannot read the new root from ${nextRoot.signer.description}: ${
            (e as Error).message
          }`,
          'run phase trust-both first: it makes the new root',
        );
      }),
  };
  if (
    new X509Certificate(r.oldRootPem).raw.equals(
      new X509Certificate(r.newRootPem).raw,
    )
  ) {
    throw new MeshWideStepError(
      meshId,
      STEP,
      `istioMesh.nextRootCa (${nextRoot.signer.description}) holds the mesh root itself`,
      'point istioMesh.nextRootCa at a new root',
    );
  }
  const { states: before, files } = await readStates(members, r);
  log.info(
    `mesh ${meshId}: ${Object.entries(before)
      .map(([c, s]) => `${c} is at ${s}`)
      .join(', ')}`,
  );
  const order = phaseOrderProblem(phase, before);
  if (order) {
    throw new MeshWideStepError(
      meshId,
      STEP,
      order,
      'run the phases in order: trust-both, reissue, drop-old-root; each once the one before has finished',
    );
  }
  const previous = await previousPhaseProblems({ env, request }, members, r);
  if (previous) {
    throw new MeshWideStepError(meshId, STEP, previous.problem, previous.fix);
  }

  const behind = members.filter(
    m => before[m.cluster.name] !== STATE_AFTER[phase],
  );
  const summary = behind.length
    ? behind.map(m => phaseLine(phase, m.cluster.name, before[m.cluster.name]))
    : [`every member is at ${STATE_AFTER[phase]}: nothing to write`];
  summary.forEach(line =>
    log.info(`${dryRun && behind.length ? 'would: ' : ''}${line}`),
  );
  if (dryRun) {
    return {
      phase,
      before,
      changed: behind.map(m => m.cluster.name),
      summary,
    };
  }
  for (const m of behind) {
    const current = files.get(m.cluster.name);
    const bundle = await cacertsForPhase(
      phase,
      {
        caCert: current?.['ca-cert.pem'] ?? '',
        caKey: current?.['ca-key.pem'] ?? '',
        rootCert: current?.['root-cert.pem'] ?? '',
        certChain: current?.['cert-chain.pem'] ?? '',
      } as CacertsBundle,
      r,
      () => createIntermediateCa(nextRoot.signer, { cluster: m.clusterName }),
    );
    const report = validateCacerts(cacertsFiles(bundle));
    if (!report.ok) {
      throw new MeshStepError(
        m.cluster.name,
        STEP,
        `the cacerts for phase ${phase} failed validation: ${report.errors
          .map(e => `${e.file} ${e.problem}`)
          .join('; ')}`,
        'check both roots: neither may expire before the intermediate',
      );
    }
    await storeCacerts(m.cluster, bundle, true, STEP);
    log.info(`cluster ${m.cluster.name}: cacerts written for phase ${phase}`);
    await awaitIstiod(env, m, phase, r, log);
  }

  const proven = await waitFor(PROOF_SECONDS, async () => {
    if (phase === 'reissue') {
      return (await reissueProof(env, meshId, r)).length === 0;
    }
    return (
      (await membersPublishing(members, expectedRoots(phase, r))).behind
        .length === 0
    );
  });
  if (!proven) {
    const problems =
      phase === 'reissue'
        ? await reissueProof(env, meshId, r)
        : (
            await membersPublishing(members, expectedRoots(phase, r))
          ).behind.map(
            m => `istiod in ${m.cluster.name} does not publish it yet`,
          );
    throw new MeshWideStepError(
      meshId,
      STEP,
      `phase ${phase} is written but not proven after ${PROOF_SECONDS}s: ${problems.join(
        '; ',
      )}`,
      're-run the phase: it writes nothing twice, restarts what must be, and proves it again',
    );
  }
  log.info(
    phase === 'reissue'
      ? `mesh ${meshId}: every member trusts every other's workloads, and every istiod issues under the new root`
      : `mesh ${meshId}: every istiod publishes ${describeRoots(
          expectedRoots(phase, r),
          r,
        )}`,
  );
  if (phase === 'drop-old-root') {
    log.warn(
      `the rotation is done: make istioMesh.rootCa the new root (${nextRoot.signer.description}) and remove istioMesh.nextRootCa, so joins sign with it`,
    );
  }
  return {
    phase,
    before,
    changed: behind.map(m => m.cluster.name),
    summary,
  };
}
