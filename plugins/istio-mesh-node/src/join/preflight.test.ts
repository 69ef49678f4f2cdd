import { MeshCluster } from '../clusters/meshCluster';
import { MeshMember } from './members';
import { exchangeLine } from './preflight';

const member = (name: string, joining = false): MeshMember => ({
  cluster: { name } as MeshCluster,
  clusterName: name,
  meshId: 'mesh1',
  joining,
});

describe("the plan's exchange line", () => {
  it('names the members, and the clusters this run joins', () => {
    expect(exchangeLine([member('east')], ['cluster3'])).toBe(
      'exchange remote secrets with east, cluster3 (cluster3 joining in this run)',
    );
  });

  it('names apart a cluster another run is joining', () => {
    expect(exchangeLine([member('east'), member('west', true)], [])).toBe(
      'exchange remote secrets with east; west is joining in another run, and whichever exchange runs second links it',
    );
    expect(exchangeLine([member('west', true)], [])).toBe(
      'no other members yet: no remote secrets to exchange; west is joining in another run, and whichever exchange runs second links it',
    );
  });
});
