import { MeshCluster } from '../clusters/meshCluster';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import { ISTIO_SYSTEM } from '../mesh/names';
import { IstiodIdentity, readIstiodIdentity } from '../mesh/istiodValues';
import { StepLog } from '../progress/stepLog';
import { memberStateOf } from '../mesh/memberState';
import { readIstioSystem } from './memberLabel';
import {
  RemoteSecretPointer,
  remoteSecretsPointingAt,
} from '../remoteSecrets/pointingAt';

/**
 * A cluster whose istiod was installed with a mesh ID, and that has not left. One still
 * joining counts too: a second join must not take its clusterName, and a rotation or
 * removal must not miss it.
 *
 * @public
 */
export interface MeshMember {
  cluster: MeshCluster;
  clusterName: string;
  meshId: string;
  network?: string;
  version?: string;
  /** meshConfig.trustDomain, when its istiod's values set one; else cluster.local. */
  trustDomain?: string;
  /**
   * A join installed Istio here and has not exchanged its remote secrets yet: it links
   * itself with every member when its exchange runs, under the mesh Lease.
   */
  joining: boolean;
}

/** A configured cluster whose API server could not be read, judged by the members. */
export interface UnreadableCluster {
  cluster: MeshCluster;
  problem: string;
  /** The members' remote secrets that point at it: none means it is no member. */
  pointers: RemoteSecretPointer[];
}

/**
 * Says, for each cluster that could not be read, whether it is a mesh member: one is
 * when a member's remote secret points at its API server. A member nobody can see
 * would miss remote secrets or keep stale ones, so it fails the step, naming it; a
 * non-member only gets a warning, so that one dead cluster in the config blocks no
 * join. `mayBeUnreadable` is the cluster a forced removal takes out: its caller
 * decides.
 */
export async function judgeUnreadable(run: {
  unreadable: { cluster: MeshCluster; problem: string }[];
  members: MeshCluster[];
  step: string;
  log: StepLog;
  mayBeUnreadable?: string;
}): Promise<UnreadableCluster[]> {
  const { members, step, log, mayBeUnreadable } = run;
  if (run.unreadable.length === 0) return [];
  const pointing = await remoteSecretsPointingAt(
    run.unreadable.map(u => u.cluster),
    members,
    step,
  );
  const judged: UnreadableCluster[] = [];
  for (const { cluster, problem } of run.unreadable) {
    const pointers = pointing.get(cluster)!;
    judged.push({ cluster, problem, pointers });
    if (cluster.name === mayBeUnreadable) continue;
    if (pointers.length > 0) {
      throw new MeshStepError(
        cluster.name,
        step,
        `cannot read its API server at ${
          cluster.server
        } (${problem}), and it is a mesh member: ${describePointers(pointers)}`,
        'bring the API server back or fix its istioMesh.clusters credentials, then re-run; if the cluster is gone for good, remove it from the mesh with force first',
      );
    }
    log.warn(
      `cluster ${cluster.name}: cannot read its API server at ${cluster.server} (${problem}); no member's remote secret points at it, so it is not a mesh member and step ${step} goes on without it`,
    );
  }
  return judged;
}

/** "east reads it through Secret istio-system/x; west …", for messages. */
export function describePointers(pointers: RemoteSecretPointer[]): string {
  return pointers
    .map(
      p =>
        `${p.holder.name} reads it through Secret ${ISTIO_SYSTEM}/${p.secret}`,
    )
    .join('; ');
}

/**
 * Reads every configured cluster's istiod identity, in parallel. Clusters that cannot
 * be read are judged by judgeUnreadable: an unreadable member fails the call, naming
 * it, unless it is `mayBeUnreadable`.
 */
export async function readMembers(
  clusters: MeshCluster[],
  run: { step: string; log: StepLog; mayBeUnreadable?: string },
): Promise<{ members: MeshMember[]; unreadable: UnreadableCluster[] }> {
  const read = await Promise.all(
    clusters.map(async cluster => {
      try {
        const state = memberStateOf(await readIstioSystem(cluster));
        const identity: IstiodIdentity | undefined =
          state === 'left'
            ? undefined
            : await readIstiodIdentity(cluster.kubeConfig());
        return { cluster, identity, joining: state === 'joining' };
      } catch (e) {
        return { cluster, problem: describeKubeError(e) };
      }
    }),
  );
  const members = read.flatMap(({ cluster, identity, joining }) =>
    identity?.meshId
      ? [
          {
            cluster,
            clusterName: identity.clusterName ?? 'Kubernetes',
            meshId: identity.meshId,
            network: identity.network,
            version: identity.version,
            trustDomain: identity.trustDomain,
            joining: !!joining,
          },
        ]
      : [],
  );
  const unreadable = await judgeUnreadable({
    unreadable: read.flatMap(({ cluster, problem }) =>
      problem === undefined ? [] : [{ cluster, problem }],
    ),
    members: members.map(m => m.cluster),
    ...run,
  });
  return { members, unreadable };
}
