import {
  ClusterMembership,
  MembershipResponse,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  DEFAULT_CLUSTER_TIMEOUT_SECONDS,
  withinDeadline,
} from './clusterDeadline';
import { placeDownMembers } from './downMembers';
import { MeshCluster } from '../clusters/meshCluster';
import { readClusterMembership } from './clusterMembership';
import { meshViews } from './meshViews';
import {
  readRemovedIntermediates,
  RemovedIntermediatesLocation,
} from './removedIntermediates';

/**
 * The whole mesh as the status API serves it and the CLI prints it: every cluster's
 * membership, read in parallel, grouped into meshes with their checks, trust matrix
 * and certificate calendar. The clusters' credentials must be fresh.
 *
 * @public
 */
export async function readMeshStatus(
  clusters: MeshCluster[],
  removedIntermediates: RemovedIntermediatesLocation | undefined,
  options: {
    /** The bound on reading one cluster; a cluster slower than this reads as down. */
    clusterTimeoutSeconds?: number;
    /** The last answer's clusters: a member that went down keeps its clusterName. */
    previous?: ClusterMembership[];
  } = {},
): Promise<MembershipResponse> {
  const seconds =
    options.clusterTimeoutSeconds ?? DEFAULT_CLUSTER_TIMEOUT_SECONDS;
  const [memberships, removed] = await Promise.all([
    Promise.all(
      clusters.map(c =>
        withinDeadline(c, seconds, readClusterMembership, error => ({
          cluster: c.name,
          reachable: false,
          error,
          remoteSecrets: [],
        })),
      ),
    ),
    removedIntermediates
      ? readRemovedIntermediates(removedIntermediates)
      : { records: [] },
  ]);
  const placed = placeDownMembers(memberships, options.previous);
  return {
    meshes: meshViews(placed, { removed, now: new Date() }),
    clusters: placed,
  };
}
