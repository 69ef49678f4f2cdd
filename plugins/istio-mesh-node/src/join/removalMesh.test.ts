import { MeshCluster } from '../clusters/meshCluster';
import { checkRemovalMesh } from './removalMesh';

const member = (name: string, meshId: string) => ({
  cluster: { name } as MeshCluster,
  meshId,
});

describe('checkRemovalMesh', () => {
  const members = [
    member('east', 'mesh1'),
    member('west', 'mesh1'),
    member('lab', 'lab-mesh'),
  ];

  it('takes a meshId a member has, or none (read from the cluster)', () => {
    expect(() => checkRemovalMesh('west', 'mesh1', members)).not.toThrow();
    expect(() => checkRemovalMesh('west', undefined, members)).not.toThrow();
  });

  it('refuses a meshId no member has, naming the meshes they do have', () => {
    expect(() => checkRemovalMesh('west', 'mesh2', members)).toThrow(
      'cluster west, step remove: no configured cluster is a member of mesh mesh2; nothing was changed. Fix: name the mesh the cluster leaves: mesh1 (east, west); lab-mesh (lab)',
    );
  });

  it('says there is nothing to remove when no cluster is in a mesh', () => {
    expect(() => checkRemovalMesh('west', 'mesh1', [])).toThrow(
      /no configured cluster is in any mesh/,
    );
  });
});
