import { assignedEndpoints, outboundCluster } from './assignedEndpoints';

/** The shape of istiod's /debug/edsz?proxyID= answer: an Envoy admin ConfigDump. */
const dump = {
  configs: [
    {
      '@type':
        'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
      clusterName: 'outbound|9080||reviews.mesh-demo.svc.cluster.local',
      endpoints: [],
    },
    {
      '@type':
        'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
      clusterName: 'outbound|5000||helloworld.mesh-probe.svc.cluster.local',
      endpoints: [
        {
          locality: {},
          lbEndpoints: [
            {
              endpoint: {
                address: {
                  socketAddress: { address: '10.100.0.3', portValue: 5000 },
                },
              },
              metadata: {
                filterMetadata: {
                  'envoy.transport_socket_match': { tlsMode: 'istio' },
                  istio: {
                    workload: 'helloworld-east;mesh-probe;helloworld;east;east',
                  },
                },
              },
              loadBalancingWeight: 1,
            },
          ],
          loadBalancingWeight: 1,
        },
        {
          locality: {},
          lbEndpoints: [
            {
              endpoint: {
                address: {
                  socketAddress: { address: '127.2.0.2', portValue: 15443 },
                },
              },
              metadata: {
                filterMetadata: {
                  'envoy.transport_socket_match': { tlsMode: 'istio' },
                  istio: { workload: ';;;;west' },
                },
              },
              loadBalancingWeight: 2,
            },
          ],
          loadBalancingWeight: 2,
        },
      ],
    },
  ],
};

describe('assignedEndpoints', () => {
  it("reads one outbound cluster's endpoints, each with its member from the workload metadata", () => {
    expect(
      assignedEndpoints(
        dump,
        outboundCluster('helloworld.mesh-probe.svc.cluster.local', 5000),
      ),
    ).toEqual([
      {
        address: '10.100.0.3',
        port: 5000,
        weight: 1,
        clusterName: 'east',
        tlsMode: 'istio',
      },
      {
        address: '127.2.0.2',
        port: 15443,
        weight: 2,
        clusterName: 'west',
        tlsMode: 'istio',
      },
    ]);
  });

  it('tells an empty assignment from none at all', () => {
    expect(
      assignedEndpoints(
        dump,
        'outbound|9080||reviews.mesh-demo.svc.cluster.local',
      ),
    ).toEqual([]);
    expect(assignedEndpoints(dump, 'outbound|1||nothing')).toBeUndefined();
    expect(assignedEndpoints(null, 'outbound|1||nothing')).toBeUndefined();
  });
});
