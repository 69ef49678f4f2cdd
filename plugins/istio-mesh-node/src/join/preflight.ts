import { VersionApi } from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import { chartArgs } from '../helm/chartSource';
import { l7LoadBalancerAnnotations } from './l7LoadBalancer';
import { chartValues } from './chartValues';
import { describeExposure, gatewayServiceSettings } from './gatewayService';
import { meshWideFindings, trustDomainOf } from './meshWideChecks';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { ChartName, RELEASES } from '../mesh/names';
import {
  clusterNameProblem,
  meshIdProblem,
  networkNameProblem,
} from '../mesh/validateNames';
import { istioVersionProblem } from '../mesh/istioVersion';
import { mayPortForwardToIstiod } from './portForwardRight';
import { clusterNameOf, JoinRequest } from './joinRequest';
import { MeshMember, readMembers } from './members';
import { certificatesIn, sameCertificates } from '../ca/certificateFacts';
import { publishedRoots } from '../trust/publishedRoots';
import { StepLog } from '../progress/stepLog';

const STEP = 'pre-flight';

/** @public */
export interface JoinPlan {
  request: JoinRequest;
  clusterName: string;
  /** The other members, which exchange remote secrets with the joining cluster. */
  peers: MeshMember[];
  /** True when the cluster is already a member with this identity: a re-run. */
  alreadyMember: boolean;
  /** What the later steps will do, one line each. */
  summary: string[];
}

/**
 * The plan's exchange line. A peer another join is installing is named apart: whichever
 * of the two exchanges second links them.
 */
export function exchangeLine(
  peers: MeshMember[],
  alsoJoining: string[],
): string {
  const members = peers.filter(p => !p.joining).map(p => p.cluster.name);
  const elsewhere = peers
    .filter(p => p.joining && !alsoJoining.includes(p.cluster.name))
    .map(p => p.cluster.name);
  const joining = alsoJoining.filter(c => !members.includes(c));
  const partners = [...members, ...joining];
  const later = elsewhere.length
    ? `; ${elsewhere.join(', ')} ${
        elsewhere.length > 1 ? 'are' : 'is'
      } joining in another run, and whichever exchange runs second links ${
        elsewhere.length > 1 ? 'them' : 'it'
      }`
    : '';
  if (partners.length === 0) {
    return `no other members yet: no remote secrets to exchange${later}`;
  }
  return `exchange remote secrets with ${partners.join(', ')}${
    joining.length ? ` (${joining.join(', ')} joining in this run)` : ''
  }${later}`;
}

/**
 * The root a join signs with must be the one root the members' istiods publish. Two
 * roots mean a root rotation is under way, which a join would leave behind; another
 * root means istioMesh.rootCa still names the root a finished rotation dropped.
 */
async function meshRootProblem(
  env: MeshEnvironment,
  members: MeshMember[],
  roots: PreflightMembers['publishedRoots'],
): Promise<{ problem: string; fix: string } | undefined> {
  const published = members.map(m => ({
    cluster: m.cluster.name,
    roots: roots.get(m.cluster.name) ?? [],
  }));
  const rotating = published.filter(p => p.roots.length > 1);
  if (rotating.length) {
    return {
      problem: `a root rotation is under way: ${rotating
        .map(p => p.cluster)
        .join(', ')} trust ${rotating[0].roots.length} roots`,
      fix: 'finish it with the Rotate mesh root template, then join',
    };
  }
  let configured;
  try {
    configured = certificatesIn(await env.rootCa.rootCertificatePem());
  } catch {
    // checkCanSign, later, says what is wrong with the root store.
    return undefined;
  }
  const other = published.filter(
    p => p.roots.length === 1 && !sameCertificates(p.roots, configured),
  );
  if (other.length === 0) return undefined;
  return {
    problem: `the members trust another root than ${
      env.rootCa.description
    } (${other
      .map(
        p =>
          `${p.cluster}: ${p.roots[0].subject.replace(/\n/g, ', ')}, sha256 ${
            p.roots[0].fingerprint256
          }`,
      )
      .join('; ')}), so a cacerts signed with it would not be trusted`,
    fix: 'after a root rotation, make istioMesh.rootCa the new root (the former istioMesh.nextRootCa)',
  };
}

/**
 * The members as pre-flight sees them, with the roots each one's istiod publishes.
 *
 * @public
 */
export interface PreflightMembers {
  members: MeshMember[];
  /** By cluster; empty when istiod has published none, or it could not be read. */
  publishedRoots: Map<string, X509Certificate[]>;
}

/**
 * The mesh's members as pre-flight sees them. A run joining many clusters reads them
 * once and hands the same read to each cluster's planJoin.
 */
export async function readPreflightMembers(
  env: MeshEnvironment,
  log: StepLog,
): Promise<PreflightMembers> {
  const { members } = await readMembers(env.clusters, { step: STEP, log });
  const roots = await Promise.all(
    members.map(
      async m =>
        [
          m.cluster.name,
          await publishedRoots(m.cluster).catch(() => []),
        ] as const,
    ),
  );
  return { members, publishedRoots: new Map(roots) };
}

/**
 * Checks everything a join needs before any step changes a cluster, and says what the
 * steps will do. Every refusal names the cluster, this step and the fix.
 *
 * @public
 */
export async function planJoin(
  env: MeshEnvironment,
  request: JoinRequest,
  log: StepLog,
  run: {
    /** Other clusters joining in the same run (Create mesh), not members yet. */
    alsoJoining?: string[];
    /** The members as read once for every cluster of the run (readPreflightMembers). */
    members?: Promise<PreflightMembers>;
  } = {},
): Promise<JoinPlan> {
  const { alsoJoining = [] } = run;
  const clusterName = clusterNameOf(request);
  const fail = (cluster: string, problem: string, fix: string): never => {
    throw new MeshStepError(cluster, STEP, problem, fix);
  };
  for (const problem of [
    clusterNameProblem(clusterName),
    networkNameProblem(request.network),
    meshIdProblem(request.meshId),
    istioVersionProblem(request.istioVersion),
  ]) {
    if (problem) fail(request.cluster, problem, 'correct the input and re-run');
  }
  let target;
  try {
    target = findCluster(env, request.cluster);
  } catch (e) {
    return fail(request.cluster, (e as Error).message, 'configure it');
  }
  try {
    const version = await target
      .kubeConfig()
      .makeApiClient(VersionApi)
      .getCode();
    log.info(
      `cluster ${request.cluster}: API server ${target.server} answers, Kubernetes ${version.gitVersion}`,
    );
  } catch (e) {
    fail(
      request.cluster,
      `cannot reach the API server at ${
        target.server
      } with the configured credentials (${describeKubeError(e)})`,
      'check the url in kubernetes.clusterLocatorMethods and the credentials in istioMesh.clusters',
    );
  }

  if (!(await mayPortForwardToIstiod(target).catch(() => false))) {
    fail(
      request.cluster,
      `the istioMesh credentials may not create pods/portforward in istio-system, which verify and the Mesh tab need to ask istiod`,
      "grant create on pods/portforward in istio-system to the portal (see the README's rights table), or set istioMesh.clusters[].istiodDebugUrl",
    );
  }

  const { members, publishedRoots: roots } = await (run.members ??
    readPreflightMembers(env, log));
  const self = members.find(m => m.cluster.name === request.cluster);
  const peers = members.filter(m => m.cluster.name !== request.cluster);
  const otherMesh = peers.filter(m => m.meshId !== request.meshId);
  if (otherMesh.length > 0) {
    fail(
      request.cluster,
      `mesh ID "${request.meshId}" differs from the members' (${otherMesh
        .map(m => `${m.cluster.name}: "${m.meshId}"`)
        .join(', ')})`,
      'use the mesh ID the members were installed with',
    );
  }
  const mesh = meshWideFindings({
    cluster: request.cluster,
    network: request.network,
    istioVersion: request.istioVersion,
    trustDomain: trustDomainOf(target.chartValues.istiod),
    sharedNetwork: request.sharedNetwork,
    peers: peers.filter(m => m.meshId === request.meshId),
  });
  mesh.warnings.forEach(w => log.warn(w));
  if (mesh.refusals.length) {
    fail(
      request.cluster,
      mesh.refusals.map(r => r.problem).join('; '),
      mesh.refusals.map(r => r.fix).join('; '),
    );
  }
  const rootProblem = await meshRootProblem(
    env,
    peers.filter(m => m.meshId === request.meshId),
    roots,
  );
  if (rootProblem) fail(request.cluster, rootProblem.problem, rootProblem.fix);
  const l7 = l7LoadBalancerAnnotations(target.chartValues.gateway ?? {});
  if (l7.length) {
    fail(
      request.cluster,
      `the chartValues give the east-west gateway's Service an L7 load balancer (${l7.join(
        ', ',
      )}), which ends the workloads' mTLS that port 15443 passes through by SNI`,
      'remove those annotations from istioMesh.clusters[].chartValues.gateway: the east-west gateway needs an L4 (TCP) load balancer',
    );
  }
  const gatewayService = await gatewayServiceSettings(
    target,
    target.kubeConfig(),
    STEP,
  );
  for (const chart of Object.keys(RELEASES) as ChartName[]) {
    try {
      chartValues(
        chart,
        { meshId: request.meshId, clusterName, network: request.network },
        target.chartValues[chart],
        gatewayService,
      );
    } catch (e) {
      fail(
        request.cluster,
        `${RELEASES[chart]}: ${(e as Error).message}`,
        'correct istioMesh.clusters[].chartValues',
      );
    }
  }
  const sameName = peers.find(m => m.clusterName === clusterName);
  if (sameName) {
    fail(
      request.cluster,
      `cluster name "${clusterName}" is already in the mesh, used by cluster ${sameName.cluster.name}`,
      'pick a cluster name no member uses',
    );
  }
  if (
    self &&
    (self.meshId !== request.meshId || self.clusterName !== clusterName)
  ) {
    fail(
      request.cluster,
      `istiod is already installed here as cluster "${self.clusterName}" of mesh "${self.meshId}"`,
      'remove the cluster from that mesh first, or re-run with its current names',
    );
  }
  if (
    target.peerServerDefaulted &&
    /127\.0\.0\.1|localhost/.test(target.peerServer)
  ) {
    log.warn(
      `cluster ${request.cluster}: remote secrets will point other clusters at ${target.peerServer}, a loopback address; set istioMesh.clusters[].peerServer to an address they can reach`,
    );
  }

  try {
    await env.rootCa.checkCanSign();
  } catch (e) {
    fail(
      request.cluster,
      `the mesh root CA (${env.rootCa.description}) cannot sign: ${
        (e as Error).message
      }`,
      'fix istioMesh.rootCa',
    );
  }
  try {
    // helm show chart reads the chart where an install would: the version must exist.
    await Promise.all(
      (Object.keys(RELEASES) as (keyof typeof RELEASES)[]).map(chart =>
        env.helm.showChart(chartArgs(env.charts, chart, request.istioVersion)),
      ),
    );
  } catch (e) {
    fail(
      request.cluster,
      (e as Error).message,
      'pick an istioVersion the chart source has, or fix istioMesh.charts',
    );
  }
  try {
    log.info(`helm ${await env.helm.version()} works`);
  } catch (e) {
    fail(
      request.cluster,
      (e as Error).message,
      'install helm 3 on the backend host',
    );
  }

  const summary = [
    `label namespace istio-system in ${request.cluster} with topology.istio.io/network=${request.network}`,
    `sign an intermediate CA for ${clusterName} with ${env.rootCa.description} and store it as Secret istio-system/cacerts, unless a valid one from this root is there`,
    `helm upgrade --install istio-base, istiod (meshID ${request.meshId}, clusterName ${clusterName}, network ${request.network}) and istio-eastwestgateway, chart version ${request.istioVersion}`,
    `expose the east-west gateway: ${describeExposure(
      gatewayService.exposure,
      gatewayService.awsLoadBalancerController,
    )}`,
    `apply Gateway istio-system/cross-network-gateway (AUTO_PASSTHROUGH on 15443)`,
    exchangeLine(
      peers,
      alsoJoining.filter(c => c !== request.cluster),
    ),
    "verify the mesh with the Mesh tab's checks, asking every member's istiod through a port-forward",
  ];
  summary.forEach(line => log.info(`plan: ${line}`));
  return { request, clusterName, peers, alreadyMember: !!self, summary };
}
