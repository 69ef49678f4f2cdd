import { chartValues } from './chartValues';

const identity = { meshId: 'mesh1', clusterName: 'east', network: 'net-east' };

describe('chartValues', () => {
  it('sets meshID, camelCase clusterName and network on istiod, keeping user values', () => {
    expect(
      chartValues('istiod', identity, {
        global: { hub: 'h' },
        pilot: { a: 1 },
      }),
    ).toEqual({
      global: {
        hub: 'h',
        meshID: 'mesh1',
        multiCluster: { clusterName: 'east' },
        network: 'net-east',
      },
      pilot: { a: 1 },
    });
  });

  it('names the gateway istio-eastwestgateway with the network', () => {
    expect(chartValues('gateway', identity)).toEqual({
      name: 'istio-eastwestgateway',
      networkGateway: 'net-east',
    });
  });

  it('refuses user values that contradict the join', () => {
    expect(() =>
      chartValues('istiod', identity, {
        global: { multiCluster: { clusterName: 'other' } },
      }),
    ).toThrow(/global.multiCluster.clusterName is set to "other"/);
  });
});
