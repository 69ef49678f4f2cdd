import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { networkFromResource } from './resourceNetwork';

const resource = (name: string, metadata: object = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', ...metadata },
  spec: { type: 'kubernetes-cluster' },
});

describe('networkFromResource', () => {
  const catalog = catalogServiceMock({
    entities: [
      resource('east', { labels: { 'istio.io/network': 'vpc-shared' } }),
      resource('west', { annotations: { 'istio.io/network': 'net-w' } }),
      resource('plain'),
      {
        ...resource('ops'),
        metadata: {
          name: 'ops',
          namespace: 'platform',
          labels: { 'istio.io/network': 'net-ops' },
        },
      },
    ],
  });
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(m), warn: () => undefined };
  const networkOf = (cluster: string, clusterEntityRef?: string) =>
    networkFromResource({
      catalog,
      credentials: async () => mockCredentials.user(),
      cluster,
      clusterEntityRef,
      log,
    });

  it("takes the Resource's istio.io/network label, then its annotation, then network-<cluster>", async () => {
    expect(await networkOf('east', 'resource:default/east')).toBe('vpc-shared');
    expect(await networkOf('west')).toBe('net-w');
    expect(await networkOf('plain')).toBe('network-plain');
    expect(await networkOf('absent')).toBe('network-absent');
    expect(await networkOf('ops', 'resource:platform/ops')).toBe('net-ops');
    expect(lines).toEqual([
      'cluster east: network vpc-shared, from the istio.io/network of resource:default/east',
      'cluster west: network net-w, from the istio.io/network of resource:default/west',
      'cluster plain: network network-plain, the default: resource:default/plain has no istio.io/network',
      'cluster absent: network network-absent, the default: no resource:default/absent in the catalog',
      'cluster ops: network net-ops, from the istio.io/network of resource:platform/ops',
    ]);
  });

  it("refuses an entity reference that is not the cluster's Resource", async () => {
    await expect(networkOf('east', 'component:default/east')).rejects.toThrow(
      'nothing was changed: input clusterEntityRef "component:default/east" is not the Resource of cluster east',
    );
    await expect(networkOf('east', 'resource:default/west')).rejects.toThrow(
      /is not the Resource of cluster east/,
    );
  });

  it('stops, naming the fix, when the catalog cannot be read', async () => {
    const failing = catalogServiceMock.mock({
      getEntityByRef: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    await expect(
      networkFromResource({
        catalog: failing,
        credentials: async () => mockCredentials.user(),
        cluster: 'east',
        log,
      }),
    ).rejects.toThrow(
      /cluster east, step pre-flight: cannot read resource:default\/east from the catalog for its istio.io\/network \(connect ECONNREFUSED\).*give the network input/,
    );
  });
});
