import { MeshRule, verdict } from '../rule';

export const sameMeshId: MeshRule = {
  id: 'same-mesh-id',
  title: 'Same meshID',
  asksIstiod: false,
  judge(members) {
    const meshIds = new Set(members.map(m => m.meshId));
    return verdict(meshIds.size > 1 ? members.map(m => m.cluster) : [], {
      problem: `meshIDs differ: ${members
        .map(m => `${m.cluster}=${m.meshId}`)
        .join(', ')}`,
      ok: `meshID ${[...meshIds][0]}`,
      fix: 'reinstall istiod with the same global.meshID everywhere',
    });
  },
};
