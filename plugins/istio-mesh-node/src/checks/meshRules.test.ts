import {
  ClusterMembership,
  MeshCheckId,
} from '@istio-mesh/plugin-istio-mesh-common';
import { linked, member, synced } from './__testUtils__/member';
import { meshChecks, meshRules } from './meshRules';

const healthy = () =>
  linked([
    member('east', {
      istiodView: {
        clusters: [synced('west')],
        gateways: [
          {
            network: 'network-west',
            cluster: 'west',
            address: '127.1.0.4',
            port: 15443,
          },
        ],
      },
    }),
    member('west', {
      istiodView: {
        clusters: [synced('east')],
        gateways: [
          {
            network: 'network-east',
            cluster: 'east',
            address: '127.1.0.4',
            port: 15443,
          },
        ],
      },
    }),
  ]);

describe('meshChecks', () => {
  it('gives one check per rule, all passing on a healthy mesh', () => {
    const checks = meshChecks(healthy());
    expect(checks.map(c => c.id)).toEqual(meshRules.map(r => r.id));
    expect(checks.filter(c => c.state !== 'pass')).toEqual([]);
  });

  it.each<[MeshCheckId, Partial<ClusterMembership>]>([
    ['same-mesh-id', { meshId: 'mesh2' }],
    ['unique-cluster-names', { clusterName: 'Kubernetes' }],
    ['gateway-address', { gateway: { network: 'network-west', ports: [] } }],
    ['network-label', { namespaceNetwork: 'network-elsewhere' }],
  ])('fails %s on the member that breaks it', (id, broken) => {
    const [east, west] = healthy();
    const check = meshChecks([east, { ...west, ...broken }]).find(
      c => c.id === id,
    )!;
    expect(check.state).toBe('fail');
    expect(check.clusters).toContain('west');
    expect(check.fix).toBeTruthy();
  });
});
