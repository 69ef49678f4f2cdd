import { MeshRule, verdict } from '../rule';

/**
 * A member whose API server cannot be read is still a member: the others hold its
 * remote secret and route to its gateway. It keeps its place in the mesh, and the mesh
 * is not healthy while it is down.
 */
export const membersReachable: MeshRule = {
  id: 'members-reachable',
  title: 'Every member answers',
  asksIstiod: false,
  judge(members) {
    const down = members.filter(m => !m.reachable);
    return verdict(
      down.map(m => m.cluster),
      {
        problem: `cannot read ${down
          .map(m => `${m.cluster} (${m.error ?? 'no answer'})`)
          .join(', ')}; other members still hold its remote secret`,
        ok: `all ${members.length} members answer`,
        fix: 'bring its API server back or fix its istioMesh.clusters credentials; if it is gone for good, remove it from the mesh (Remove cluster from mesh, with force)',
      },
    );
  },
};
