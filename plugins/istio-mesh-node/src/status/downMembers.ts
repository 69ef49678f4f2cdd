import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import { holdsRemoteSecretFor } from '../checks/rules/remoteSecretGraph';

/**
 * Gives each cluster that could not be read its place in its mesh: it is a member when
 * a member that answered holds a remote secret for it (by the clusterName it last had,
 * or its portal name). Without this, a member that goes down would drop out of its
 * mesh, and the mesh would look healthy without it.
 */
export function placeDownMembers(
  memberships: ClusterMembership[],
  previous: ClusterMembership[] = [],
): ClusterMembership[] {
  const answered = memberships.filter(m => m.reachable && m.meshId);
  return memberships.map(m => {
    if (m.reachable) return m;
    const last = previous.find(p => p.cluster === m.cluster && p.meshId);
    const placed: ClusterMembership = {
      ...m,
      clusterName: last?.clusterName ?? m.cluster,
    };
    const holder = answered.find(a => holdsRemoteSecretFor(a, placed));
    if (!holder) return m;
    return {
      ...placed,
      meshId: last?.meshId ?? holder.meshId,
      network: last?.network,
    };
  });
}
