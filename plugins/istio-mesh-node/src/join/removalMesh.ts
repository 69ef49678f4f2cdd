import { MeshStepError } from '../mesh/errors';
import { MeshMember } from './members';

/**
 * Refuses a removal whose meshId no member has: it would find no remaining member to
 * rotate the reader tokens of, or to check for stale state, and so clean up nothing
 * while reporting success. Names the meshes the members do have.
 */
export function checkRemovalMesh(
  cluster: string,
  meshId: string | undefined,
  members: Pick<MeshMember, 'meshId' | 'cluster'>[],
): void {
  if (!meshId || members.some(m => m.meshId === meshId)) return;
  const meshes = new Map<string, string[]>();
  for (const m of members) {
    meshes.set(m.meshId, [...(meshes.get(m.meshId) ?? []), m.cluster.name]);
  }
  throw new MeshStepError(
    cluster,
    'remove',
    `no configured cluster is a member of mesh ${meshId}; nothing was changed`,
    meshes.size
      ? `name the mesh the cluster leaves: ${[...meshes]
          .map(([id, names]) => `${id} (${names.join(', ')})`)
          .join('; ')}`
      : 'no configured cluster is in any mesh: there is nothing to remove',
  );
}
