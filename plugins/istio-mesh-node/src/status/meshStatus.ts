import { MembershipResponse } from '@istio-mesh/plugin-istio-mesh-common';
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
): Promise<MembershipResponse> {
  const [memberships, removed] = await Promise.all([
    Promise.all(clusters.map(c => readClusterMembership(c))),
    removedIntermediates
      ? readRemovedIntermediates(removedIntermediates)
      : { records: [] },
  ]);
  return {
    meshes: meshViews(memberships, { removed, now: new Date() }),
    clusters: memberships,
  };
}
