import { binaries } from '@istio-mesh/local-clusters';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LoadBalancerProvider } from '../clusters/meshCluster';
import { chartValues } from './chartValues';

/**
 * Istio's own gateway chart, rendered by the real helm with the values a join gives it
 * (no cluster: helm template without --validate). Both come from the toolchain
 * scripts/setup builds.
 */
const bins = binaries();
const dir = mkdtempSync(join(tmpdir(), 'gateway-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rendered {
  kind: string;
  metadata: { labels?: Record<string, string>; annotations?: object };
  spec: {
    ports?: { name: string; port: number; targetPort: number }[];
    loadBalancerSourceRanges?: string[];
    type?: string;
    template?: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { env?: { name: string; value: string }[] }[] };
    };
  };
}

function render(
  provider: LoadBalancerProvider,
  options: {
    internal?: boolean;
    awsLoadBalancerController?: boolean;
    loadBalancerSourceRanges?: string[];
  } = {},
): { service: Rendered; deployment: Rendered } {
  const values = chartValues(
    'gateway',
    { meshId: 'mesh1', clusterName: 'c1', network: 'network-c1' },
    {},
    {
      exposure: {
        provider,
        internal: options.internal ?? false,
        loadBalancerSourceRanges: options.loadBalancerSourceRanges ?? [],
      },
      awsLoadBalancerController: options.awsLoadBalancerController ?? false,
    },
  );
  const file = join(dir, `${provider}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(values));
  const manifest = execFileSync(
    bins.helm,
    [
      'template',
      'istio-eastwestgateway',
      bins.istioCharts.gateway,
      '--namespace',
      'istio-system',
      '--values',
      file,
    ],
    { encoding: 'utf8' },
  );
  const objects = parseAllDocuments(manifest)
    .map(d => d.toJS() as Rendered | null)
    .filter((o): o is Rendered => !!o);
  const of = (kind: string) => objects.find(o => o.kind === kind)!;
  return { service: of('Service'), deployment: of('Deployment') };
}

describe("the east-west gateway Service, rendered by Istio's gateway chart", () => {
  it('publishes only 15021 and 15443, as a network gateway of its network', () => {
    const { service, deployment } = render('generic');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.ports).toEqual([
      { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
      { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
    ]);
    expect(service.metadata.labels).toMatchObject({
      'topology.istio.io/network': 'network-c1',
      istio: 'eastwestgateway',
    });
    expect(service.metadata.annotations ?? {}).toEqual({});
    expect(service.spec.loadBalancerSourceRanges).toBeUndefined();
    const pod = deployment.spec.template!;
    expect(pod.metadata.labels['topology.istio.io/network']).toBe('network-c1');
    expect(pod.spec.containers[0].env).toContainEqual({
      name: 'ISTIO_META_REQUESTED_NETWORK_VIEW',
      value: 'network-c1',
    });
  });

  it.each([
    [
      'eks with the AWS Load Balancer Controller',
      'eks' as const,
      { awsLoadBalancerController: true },
      {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme':
          'internet-facing',
      },
    ],
    [
      'eks with the AWS Load Balancer Controller, internal',
      'eks' as const,
      { awsLoadBalancerController: true, internal: true },
      {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      },
    ],
    [
      'eks without the controller',
      'eks' as const,
      {},
      { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    ],
    [
      'eks without the controller, internal',
      'eks' as const,
      { internal: true },
      {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
      },
    ],
    ['aks', 'aks' as const, {}, {}],
    [
      'aks, internal',
      'aks' as const,
      { internal: true },
      { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
    ],
    ['gke', 'gke' as const, {}, { 'cloud.google.com/l4-rbs': 'enabled' }],
    [
      'gke, internal',
      'gke' as const,
      { internal: true },
      { 'networking.gke.io/load-balancer-type': 'Internal' },
    ],
  ])(
    '%s: the L4 annotations, and still only 15021 and 15443',
    (_name, provider, options, annotations) => {
      const { service } = render(provider, options);
      expect(service.metadata.annotations ?? {}).toEqual(annotations);
      expect(service.spec.ports?.map(p => p.port)).toEqual([15021, 15443]);
    },
  );

  it('limits the sources to the configured ranges', () => {
    const { service } = render('aks', {
      loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.7/32'],
    });
    expect(service.spec.loadBalancerSourceRanges).toEqual([
      '203.0.113.0/24',
      '198.51.100.7/32',
    ]);
  });
});
