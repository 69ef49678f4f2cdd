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

  it('makes the gateway a network gateway that publishes only 15021 and 15443', () => {
    expect(chartValues('gateway', identity)).toEqual({
      name: 'istio-eastwestgateway',
      labels: { 'topology.istio.io/network': 'net-east' },
      env: { ISTIO_META_REQUESTED_NETWORK_VIEW: 'net-east' },
      service: {
        annotations: {},
        ports: [
          {
            name: 'status-port',
            port: 15021,
            targetPort: 15021,
            protocol: 'TCP',
          },
          { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
        ],
      },
    });
  });

  it('adds the profile annotations and source ranges, refusing user values that contradict them', () => {
    const eks = {
      exposure: {
        provider: 'eks' as const,
        internal: false,
        loadBalancerSourceRanges: ['203.0.113.0/24'],
      },
      awsLoadBalancerController: true,
    };
    const values = chartValues(
      'gateway',
      identity,
      { service: { annotations: { team: 'mesh' } } },
      eks,
    ) as { service: Record<string, unknown> };
    expect(values.service.annotations).toEqual({
      team: 'mesh',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
    expect(values.service.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
    expect(() =>
      chartValues(
        'gateway',
        identity,
        {
          service: {
            annotations: {
              'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
            },
          },
        },
        eks,
      ),
    ).toThrow(
      /aws-load-balancer-scheme is set to "internal", but the join sets it to "internet-facing"/,
    );
  });

  it('keeps extra ports a user publishes, but never drops 15443 or 15021', () => {
    const ports = [
      { name: 'status-port', port: 15021 },
      { name: 'tls', port: 15443 },
      { name: 'tls-istiod', port: 15012 },
    ];
    expect(
      chartValues('gateway', identity, { service: { ports } }),
    ).toMatchObject({ service: { ports } });
    expect(() =>
      chartValues('gateway', identity, {
        service: { ports: [{ name: 'tls', port: 15443 }] },
      }),
    ).toThrow(/service.ports lacks port 15021/);
  });

  it("refuses the chart's networkGateway, which would publish istiod's ports", () => {
    expect(() =>
      chartValues('gateway', identity, { networkGateway: 'net-east' }),
    ).toThrow(/networkGateway is set, but the join labels the gateway/);
  });

  it('refuses user values that contradict the join', () => {
    expect(() =>
      chartValues('istiod', identity, {
        global: { multiCluster: { clusterName: 'other' } },
      }),
    ).toThrow(/global.multiCluster.clusterName is set to "other"/);
  });
});
