import {
  ClusterMembership,
  CrossClusterTrust,
  MeshHealthCheck,
} from '@istio-mesh/plugin-istio-mesh-common';
import { meshChecks, meshRules } from '../checks/meshRules';
import { trustMatrix } from '../checks/rules/crossClusterTrust';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { readClusterMembership } from '../status/clusterMembership';
import { waitFor } from '../progress/waitFor';
import { StepLog } from '../progress/stepLog';
import { judgeUnreadable } from './members';

/**
 * istiod gives up on a remote cluster it cannot sync after 30 s
 * (PILOT_REMOTE_CLUSTER_TIMEOUT); a little more covers picking up the new secret.
 */
const ISTIOD_SYNC_SECONDS = 35;

const STEP = 'verify';

/**
 * What verify found: the mesh checks, and the facts they judged, one membership per
 * member.
 *
 * @public
 */
export interface MeshVerification {
  checks: MeshHealthCheck[];
  members: ClusterMembership[];
  /** Whose workloads each member trusts, proven with certificates istiod issued. */
  trust: CrossClusterTrust[];
}

/**
 * Checks one mesh with the same rules the status API runs, over the same facts: read
 * every configured cluster's membership, keep the members of `meshId`, judge. Rules
 * whose facts come from istiod are polled until they pass or `istiodWaitSeconds` runs
 * out, since istiod takes a while to read a new remote secret.
 *
 * @public
 */
export async function verifyMesh(
  env: MeshEnvironment,
  meshId: string,
  options: {
    istiodWaitSeconds?: number;
    /**
     * Do not ask istiod, when the run says so explicitly: its checks are then "not
     * asked", never passed.
     */
    skipIstiodChecks?: boolean;
    /** Where a cluster that cannot be read, and is no member, is reported. */
    log: StepLog;
  },
): Promise<MeshVerification> {
  const skipIstiod = options.skipIstiodChecks
    ? "skipped by the run's skipIstiodChecks input"
    : undefined;
  const polled = new Set(meshRules.filter(r => r.asksIstiod).map(r => r.id));
  let checks: MeshHealthCheck[] = [];
  let members: ClusterMembership[] = [];
  let unreachable: ClusterMembership[] = [];
  let noMembers = false;
  await waitFor(
    options.istiodWaitSeconds ?? ISTIOD_SYNC_SECONDS,
    async () => {
      const memberships = await Promise.all(
        env.clusters.map(c => readClusterMembership(c, { skipIstiod })),
      );
      unreachable = memberships.filter(m => !m.reachable);
      members = memberships.filter(m => m.meshId === meshId);
      noMembers = members.length === 0;
      if (noMembers) return true;
      checks = meshChecks(members);
      return !checks.some(c => c.state === 'fail' && polled.has(c.id));
    },
    1000,
  );
  // A member nobody can read fails verify, naming it; any other is reported and skipped.
  await judgeUnreadable({
    unreadable: unreachable.map(m => ({
      cluster: findCluster(env, m.cluster),
      problem: m.error ?? 'not reachable',
    })),
    members: members.map(m => findCluster(env, m.cluster)),
    step: STEP,
    log: options.log,
  });
  if (noMembers) {
    throw new Error(
      `step ${STEP}: mesh ${meshId} has no members among the configured clusters (${env.clusters
        .map(c => c.name)
        .join(', ')}). Fix: join a cluster to it first`,
    );
  }
  return { checks, members, trust: trustMatrix(members) };
}
