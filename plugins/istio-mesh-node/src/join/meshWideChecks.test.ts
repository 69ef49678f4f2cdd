import { MeshCluster } from '../clusters/meshCluster';
import { MeshMember } from './members';
import { istioMinor, meshWideFindings } from './meshWideChecks';

const member = (name: string, extra: Partial<MeshMember> = {}): MeshMember => ({
  cluster: { name } as MeshCluster,
  clusterName: name,
  meshId: 'mesh1',
  network: `network-${name}`,
  joining: false,
  version: '1.31.0',
  ...extra,
});

const join = (extra: Partial<Parameters<typeof meshWideFindings>[0]> = {}) =>
  meshWideFindings({
    cluster: 'west',
    network: 'network-west',
    istioVersion: '1.31.0-dev-eed52ebb66ad',
    trustDomain: 'cluster.local',
    peers: [member('east')],
    ...extra,
  });

describe('istioMinor', () => {
  it('reads the minor of release, dev and v-prefixed versions', () => {
    expect(istioMinor('1.31.0-dev-eed52ebb66ad')).toBe(31);
    expect(istioMinor('v1.24.3')).toBe(24);
    expect(istioMinor('1.30')).toBe(30);
    expect(istioMinor('latest')).toBeUndefined();
    expect(istioMinor(undefined)).toBeUndefined();
  });
});

describe('meshWideFindings', () => {
  it('finds nothing for a cluster that agrees with every member', () => {
    expect(join()).toEqual({ refusals: [], warnings: [] });
  });

  it('warns about a member one minor apart and refuses one two minors apart, naming them', () => {
    const { refusals, warnings } = join({
      peers: [
        member('east', { version: '1.30.2' }),
        member('cluster3', { version: '1.29.1' }),
      ],
    });
    expect(warnings).toEqual([
      'cluster west: Istio 1.31.0-dev-eed52ebb66ad is one minor from the control plane of east (1.30.2); supported while an upgrade goes through the mesh, not to stay',
    ]);
    expect(refusals).toEqual([
      {
        problem:
          'Istio 1.31.0-dev-eed52ebb66ad is more than one minor from the control plane of cluster3 (1.29.1)',
        fix: 'join with a chart version (istioVersion) within one minor of every member, or upgrade those members a minor at a time first',
      },
    ]);
  });

  it("refuses another member's network unless it is shared on purpose", () => {
    const clash = join({ network: 'network-east' });
    expect(clash.refusals).toEqual([
      {
        problem:
          'network "network-east" is already the network of east: istiod would send their traffic to this cluster\'s pod IPs directly, not through the east-west gateway',
        fix: 'give the cluster a network of its own (network-west), or set sharedNetwork if its pods and theirs reach each other directly',
      },
    ]);
    expect(
      join({ network: 'network-east', sharedNetwork: true }).refusals,
    ).toEqual([]);
  });

  it("refuses a trust domain other than the members', the default counting as cluster.local", () => {
    expect(join({ trustDomain: 'example.org' }).refusals).toEqual([
      {
        problem:
          'trust domain "example.org" differs from east\'s "cluster.local"',
        fix: "give every member one trust domain: set meshConfig.trustDomain in the cluster's istiod chartValues to the members'",
      },
    ]);
    expect(
      join({ peers: [member('east', { trustDomain: 'cluster.local' })] })
        .refusals,
    ).toEqual([]);
  });
});
