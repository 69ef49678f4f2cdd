import { CoreV1Api } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import {
  CACERTS_SECRET,
  CLUSTER_ANNOTATION,
  ISTIO_SYSTEM,
  MEMBER_LABEL,
  MULTICLUSTER_LABEL,
  READER_SERVICE_ACCOUNT,
  RELEASES,
  remoteSecretName,
} from '../mesh/names';
import { underMeshLease } from './meshLease';
import { withHelmLease } from './helmLease';
import { rotateReaderTokens } from '../remoteSecrets/exchange';
import { listMetadata, readMetadata } from '../kube/metadata';
import { readerTokenSecretNames } from '../remoteSecrets/readerToken';
import { ensureIstiodsFresh } from './istiodFreshness';
import { revokeIntermediate } from './revokeIntermediate';
import { checkRemovalMesh } from './removalMesh';
import { describePointers, readMembers } from './members';
import { labelMemberState } from './memberLabel';
import { StepLog } from '../progress/stepLog';
import { TRUST_PROBE_SERVICE_ACCOUNT } from '../trust/probeServiceAccount';

const STEP = 'remove';

/** @public */
export interface RemoveRequest {
  cluster: string;
  /**
   * The mesh the cluster leaves, whose remaining istiods are checked afterwards; read
   * from the cluster when not given. A re-run after the cluster already left needs it.
   */
  meshId?: string;
  /** Also helm uninstall the gateway, istiod and base, in that order. */
  uninstall: boolean;
  /**
   * Go ahead when the leaving cluster's API server cannot be read: clean every other
   * member and list what stays behind in the leaving cluster.
   */
  force?: boolean;
  dryRun: boolean;
  /**
   * After the removal, restart any remaining istiod found stale instead of failing
   * with that fix (ensureIstiodsFresh).
   */
  restartIstiodIfStale?: boolean;
}

/**
 * What a removal could not clean, one line each: the objects a forced removal leaves in
 * a cluster it could not reach, and what they still allow.
 *
 * @public
 */
export interface RemoveResult {
  leftBehind: string[];
}

/** What removal deletes in istio-system: remote secrets, the reader token, the probe. */
type Removable = { kind: 'Secret' | 'ServiceAccount'; name: string };

async function deleteFromIstioSystem(
  cluster: MeshCluster,
  object: Removable,
  step: { dryRun: boolean; log: StepLog },
): Promise<void> {
  const { dryRun, log } = step;
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const ref = { name: object.name, namespace: ISTIO_SYSTEM };
  const what = `${object.kind} ${ISTIO_SYSTEM}/${object.name}`;
  try {
    if (object.kind === 'Secret') {
      if (dryRun) {
        const exists = await readMetadata(
          cluster.kubeConfig(),
          `/api/v1/namespaces/${ISTIO_SYSTEM}/secrets/${object.name}`,
        );
        if (!exists) return;
      } else {
        await core.deleteNamespacedSecret(ref);
      }
    } else {
      await (dryRun
        ? core.readNamespacedServiceAccount(ref)
        : core.deleteNamespacedServiceAccount(ref));
    }
    log.info(
      `cluster ${cluster.name}: ${what} ${
        dryRun ? 'would be deleted' : 'deleted'
      }`,
    );
  } catch (e) {
    if (isNotFound(e)) return;
    throw new MeshStepError(
      cluster.name,
      STEP,
      `cannot delete ${what} (${describeKubeError(e)})`,
      'bring the API server back or fix its istioMesh credentials, then re-run',
    );
  }
}

/**
 * The remote secrets a member holds for a cluster: those annotated with its cluster name,
 * as istiod keys them, whatever they are called; or, unannotated, under istioctl's name.
 */
async function remoteSecretsFor(
  member: MeshCluster,
  clusterName: string,
): Promise<string[]> {
  const secrets = await listMetadata(
    member.kubeConfig(),
    `/api/v1/namespaces/${ISTIO_SYSTEM}/secrets?labelSelector=${encodeURIComponent(
      `${MULTICLUSTER_LABEL}=true`,
    )}`,
  ).catch(e => {
    throw new MeshStepError(
      member.name,
      STEP,
      `cannot list the remote secrets in ${ISTIO_SYSTEM} (${describeKubeError(
        e,
      )})`,
      'bring the API server back or fix its istioMesh credentials, then re-run',
    );
  });
  return secrets
    .filter(s => {
      const annotated = s.annotations?.[CLUSTER_ANNOTATION];
      return annotated
        ? annotated === clusterName
        : s.name === remoteSecretName(clusterName);
    })
    .map(s => s.name!);
}

/** The leaving cluster's remote secrets and its reader token, deleted. */
async function forgetEveryMember(
  leaving: MeshCluster,
  dryRun: boolean,
  log: StepLog,
): Promise<void> {
  // Names only: the list of every Secret in istio-system would carry cacerts' key.
  const names = await Promise.all([
    listMetadata(
      leaving.kubeConfig(),
      `/api/v1/namespaces/${ISTIO_SYSTEM}/secrets?labelSelector=${encodeURIComponent(
        `${MULTICLUSTER_LABEL}=true`,
      )}`,
    ).then(items => items.map(m => m.name!)),
    readerTokenSecretNames(leaving),
  ]).catch(e => {
    if (isNotFound(e)) return [[], []];
    throw new MeshStepError(
      leaving.name,
      STEP,
      `cannot list Secrets in ${ISTIO_SYSTEM} (${describeKubeError(e)})`,
      'bring the API server back or fix its istioMesh credentials, then re-run',
    );
  });
  for (const name of new Set(names.flat())) {
    await deleteFromIstioSystem(
      leaving,
      { kind: 'Secret', name },
      { dryRun, log },
    );
  }
}

/**
 * What a forced removal cannot touch in a cluster it cannot reach, and what each thing
 * still allows, so that whoever brings the cluster back knows what to delete.
 */
function leftInDeadCluster(leaving: MeshCluster, uninstall: boolean): string[] {
  const where = `cluster ${leaving.name}`;
  return [
    `${where}: Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET}, not deleted and not recorded as removed: its intermediate stays signed by the mesh root, and trusted by every member, until it expires or the root is rotated`,
    `${where}: its remote secrets for the other members, whose reader tokens were rotated, so they no longer open those API servers`,
    `${where}: the token Secret of ${ISTIO_SYSTEM}/${READER_SERVICE_ACCOUNT}, which no member's remote secret holds any more`,
    `${where}: ServiceAccount ${ISTIO_SYSTEM}/${TRUST_PROBE_SERVICE_ACCOUNT}`,
    uninstall
      ? `${where}: helm releases ${RELEASES.gateway}, ${RELEASES.istiod} and ${RELEASES.base}, not uninstalled`
      : `${where}: Namespace ${ISTIO_SYSTEM} not labelled ${MEMBER_LABEL}=false, so a join that can read it again counts it a member`,
  ];
}

/**
 * Takes a cluster out of the mesh (docs/istio-procedure.md §9): every member forgets
 * it, it forgets every member, and deleting its reader token Secret revokes the
 * credential the others held. Every remaining member's reader token is rotated, since
 * the leaving cluster held a copy of each, and its intermediate is revoked. Then every
 * remaining istiod is checked for stale state (ensureIstiodsFresh): Istio has kept a
 * removed cluster's gateway. A leaving cluster that cannot be read is refused unless
 * `force`; then only the other members are cleaned, and the result lists what stays
 * behind in it.
 *
 * @public
 */
export async function removeCluster(run: {
  env: MeshEnvironment;
  request: RemoveRequest;
  /** The Lease holder identity: the task or command doing the removal. */
  holder: string;
  log: StepLog;
}): Promise<RemoveResult> {
  const { request, holder, log } = run;
  findCluster(run.env, request.cluster);
  const leftBehind: string[] = [];
  /** Returns the mesh the cluster left, if it was a member, and its clusterName there. */
  const work = async (
    env: MeshEnvironment,
  ): Promise<{ meshId?: string; clusterName: string }> => {
    const leaving = findCluster(env, request.cluster);
    const { members, unreadable } = await readMembers(env.clusters, {
      step: STEP,
      log,
      mayBeUnreadable: leaving.name,
    });
    const dead = unreadable.find(u => u.cluster === leaving);
    if (dead && !request.force) {
      throw new MeshStepError(
        leaving.name,
        STEP,
        `cannot read its API server at ${leaving.server} (${dead.problem}); ${
          dead.pointers.length
            ? `it is a mesh member: ${describePointers(dead.pointers)}`
            : "no member's remote secret points at it"
        }`,
        'bring the API server back and re-run; if the cluster is gone for good, re-run with force, which cleans every other member and lists what stays behind in this one',
      );
    }
    checkRemovalMesh(leaving.name, request.meshId, members);
    const self = members.find(m => m.cluster.name === leaving.name);
    const named = dead?.pointers.filter(p => p.clusterName) ?? [];
    const meshId =
      request.meshId ||
      self?.meshId ||
      members.find(m => named.some(p => p.holder === m.cluster))?.meshId;
    const clusterName =
      self?.clusterName ?? named[0]?.clusterName ?? leaving.name;
    if (dead) {
      log.warn(
        `cluster ${leaving.name}: cannot read its API server (${dead.problem}); removing it with force as cluster "${clusterName}": every other member is cleaned, and what stays behind in it is listed at the end`,
      );
    }
    for (const m of members.filter(x => x !== self)) {
      const names = new Set([
        ...(await remoteSecretsFor(m.cluster, clusterName)),
        ...(dead?.pointers ?? [])
          .filter(p => p.holder === m.cluster)
          .map(p => p.secret),
      ]);
      for (const name of names) {
        await deleteFromIstioSystem(
          m.cluster,
          { kind: 'Secret', name },
          { dryRun: request.dryRun, log },
        );
      }
    }
    if (!dead) await forgetEveryMember(leaving, request.dryRun, log);
    const remaining = members.filter(
      m => m !== self && (!meshId || m.meshId === meshId),
    );
    if (request.dryRun) {
      log.info(
        `would rotate the reader token of ${remaining
          .map(m => m.cluster.name)
          .join(', ')}, rewriting their remote secrets, so copies ${
          leaving.name
        } held stop working`,
      );
    } else {
      await rotateReaderTokens({
        members: remaining.map(m => ({
          cluster: m.cluster,
          clusterName: m.clusterName,
        })),
        log,
      });
    }
    if (dead) {
      leftBehind.push(...leftInDeadCluster(leaving, request.uninstall));
      return { meshId, clusterName };
    }
    await revokeIntermediate({
      env,
      cluster: leaving,
      clusterName,
      meshId,
      dryRun: request.dryRun,
      log,
    });
    // The probe's tokens stop being accepted with it.
    await deleteFromIstioSystem(
      leaving,
      { kind: 'ServiceAccount', name: TRUST_PROBE_SERVICE_ACCOUNT },
      { dryRun: request.dryRun, log },
    );
    if (!request.uninstall) {
      // Keeps Istio running but out of the mesh: later joins skip this cluster.
      await labelMemberState({
        cluster: leaving,
        state: 'left',
        step: STEP,
        dryRun: request.dryRun,
        log,
      });
      return { meshId, clusterName };
    }
    const uninstall = async (on: MeshEnvironment) => {
      const kc = findCluster(on, leaving.name).kubeConfig();
      for (const release of [
        RELEASES.gateway,
        RELEASES.istiod,
        RELEASES.base,
      ]) {
        if (request.dryRun) {
          log.info(`cluster ${leaving.name}: would helm uninstall ${release}`);
          continue;
        }
        await on.helm.uninstall(kc, {
          name: release,
          namespace: ISTIO_SYSTEM,
          timeoutSeconds: on.timeouts.helmSeconds,
        });
        log.info(`cluster ${leaving.name}: helm uninstalled ${release}`);
      }
    };
    if (request.dryRun) await uninstall(env);
    else await withHelmLease({ env, cluster: leaving, holder, log }, uninstall);
    return { meshId, clusterName };
  };
  if (request.dryRun) {
    await work(run.env);
  } else {
    await underMeshLease({ env: run.env, holder, log }, async env => {
      const { meshId, clusterName } = await work(env);
      if (meshId) {
        await ensureIstiodsFresh({
          env,
          meshId,
          changed: [clusterName],
          left: clusterName,
          restartIstiodIfStale: !!request.restartIstiodIfStale,
          step: STEP,
          log,
        });
      }
    });
  }
  for (const line of leftBehind) {
    log.warn(
      `${request.dryRun ? 'would leave behind' : 'left behind'}: ${line}`,
    );
  }
  return { leftBehind };
}
