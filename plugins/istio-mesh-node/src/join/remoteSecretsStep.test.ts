import { MeshCluster } from '../clusters/meshCluster';
import { JoinRequest } from './joinRequest';
import { MeshMember } from './members';
import { checkIdentity, exchangePeers } from './remoteSecretsStep';

const member = (name: string, facts: Partial<MeshMember> = {}): MeshMember => ({
  cluster: { name } as MeshCluster,
  clusterName: name,
  meshId: 'mesh1',
  network: `network-${name}`,
  joining: false,
  ...facts,
});

const join = (facts: Partial<JoinRequest> = {}): JoinRequest => ({
  cluster: 'west',
  meshId: 'mesh1',
  network: 'network-west',
  istioVersion: '1.30.2',
  dryRun: false,
  ...facts,
});

describe('the remote-secrets step, under the Lease', () => {
  it('goes on when istiod has what the request names', () => {
    expect(() =>
      checkIdentity([member('east'), member('west')], join()),
    ).not.toThrow();
  });

  it('fails the second of two joins with one clusterName', () => {
    // The first join took "shared" while the second waited for the Lease.
    const members = [
      member('east', { clusterName: 'shared' }),
      member('west', { clusterName: 'shared' }),
    ];
    expect(() =>
      checkIdentity(members, join({ clusterName: 'shared' })),
    ).toThrow(
      /cluster west, step remote secrets: cluster name "shared" is already used in mesh mesh1 by cluster east/,
    );
  });

  it('fails when istiod was installed with another clusterName, meshID or network', () => {
    expect(() =>
      checkIdentity(
        [member('east'), member('west', { network: 'network-x' })],
        join({ clusterName: 'west-2' }),
      ),
    ).toThrow(
      /its istiod is installed with clusterName "west", network "network-x", but the request names clusterName "west-2", network "network-west"/,
    );
  });

  it('fails a real run, not a dry run, when istiod is not installed', () => {
    expect(() => checkIdentity([member('east')], join())).toThrow(
      /istiod is not installed with a mesh ID here. Fix: run the helm step/,
    );
    expect(() =>
      checkIdentity([member('east')], join({ dryRun: true })),
    ).not.toThrow();
  });

  it('leaves the network alone when the request names none', () => {
    expect(() =>
      checkIdentity(
        [member('east'), member('west', { network: 'network-x' })],
        join({ network: '' }),
      ),
    ).not.toThrow();
  });
});

describe('the members a join exchanges remote secrets with', () => {
  it('leaves out a cluster another join is installing, and one of another mesh', () => {
    // Two joins at once: cluster3 holds the Lease while west's exchange waits for it.
    const { peers, stillJoining } = exchangePeers(
      [
        member('east'),
        member('west', { joining: true }),
        member('cluster3', { joining: true }),
        member('other', { meshId: 'mesh2' }),
      ],
      join({ cluster: 'cluster3' }),
    );
    expect(peers.map(p => p.cluster.name)).toEqual(['east']);
    expect(stillJoining.map(p => p.cluster.name)).toEqual(['west']);
  });

  it('takes in a member that joined before, whatever its label said then', () => {
    const { peers } = exchangePeers(
      [member('east'), member('west'), member('cluster3', { joining: true })],
      join({ cluster: 'west' }),
    );
    expect(peers.map(p => p.cluster.name)).toEqual(['east']);
  });
});
