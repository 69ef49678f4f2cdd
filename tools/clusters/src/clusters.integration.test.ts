import {
  AppsV1Api,
  AuthenticationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  ApiextensionsV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  V1Node,
} from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request, RequestOptions } from 'node:https';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { kubeconfigPath } from './paths';
import { waitFor } from './processes';
import {
  harnessPids,
  kubeConfigFor,
  offLoopbackConnections,
  runningClusters,
} from './testing/clusters';
import { CLUSTERS_TURN_TIMEOUT_MS, lockClusters } from './testing/suiteLock';
import { binaries } from './toolchain';

const run = promisify(execFile);
const bins = binaries();

/** Each test works in a namespace of its own. */
async function namespace(kc: KubeConfig, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } });
  return name;
}

describe('local clusters', () => {
  const east = kubeConfigFor('east');

  it('answers kubectl get ns in both contexts, with distinct CAs', async () => {
    for (const context of ['east', 'west']) {
      const { stdout } = await run(bins.kubectl, [
        '--kubeconfig',
        kubeconfigPath,
        '--context',
        context,
        'get',
        'ns',
      ]);
      expect(stdout).toContain('kube-system');
    }
    const cas = ['east', 'west'].map(
      c => kubeConfigFor(c).getCurrentCluster()!.caData,
    );
    expect(cas[0]).not.toEqual(cas[1]);
    expect(runningClusters().map(c => [c.name, c.network])).toEqual([
      ['east', 'network-east'],
      ['west', 'network-west'],
      ['cluster3', 'network-cluster3'],
    ]);
  });

  it('runs a Deployment to Running pods with ready EndpointSlice endpoints', async () => {
    const ns = await namespace(east, 'deploy');
    const labels = { app: 'reviews' };
    await east.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'reviews' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{ name: 'reviews', image: 'example/reviews:1' }],
            },
          },
        },
      },
    });
    await east.makeApiClient(CoreV1Api).createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'reviews' },
        spec: { selector: labels, ports: [{ port: 9080 }] },
      },
    });
    const core = east.makeApiClient(CoreV1Api);
    await waitFor('two Running pods', async () => {
      const pods = await core.listNamespacedPod({ namespace: ns });
      return (
        pods.items.filter(p => p.status?.phase === 'Running' && p.status.podIP)
          .length === 2
      );
    });
    const discovery = east.makeApiClient(DiscoveryV1Api);
    await waitFor('ready endpoints', async () => {
      const slices = await discovery.listNamespacedEndpointSlice({
        namespace: ns,
      });
      return (
        slices.items
          .flatMap(s => s.endpoints ?? [])
          .filter(e => e.conditions?.ready).length === 2
      );
    });
  });

  it('fills service-account token Secrets whose token authenticates, under RBAC', async () => {
    const ns = await namespace(east, 'token');
    const core = east.makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: 'reader' } },
    });
    await core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: {
          name: 'reader-token',
          annotations: { 'kubernetes.io/service-account.name': 'reader' },
        },
        type: 'kubernetes.io/service-account-token',
      },
    });
    let data: Record<string, string> = {};
    await waitFor('token and ca.crt', async () => {
      data =
        (
          await core.readNamespacedSecret({
            name: 'reader-token',
            namespace: ns,
          })
        ).data ?? {};
      return !!data.token && !!data['ca.crt'];
    });
    const asReader = new KubeConfig();
    asReader.loadFromOptions({
      clusters: [
        {
          name: 'east',
          server: east.getCurrentCluster()!.server,
          caData: data['ca.crt'],
        },
      ],
      users: [
        {
          name: 'reader',
          token: Buffer.from(data.token, 'base64').toString('utf8'),
        },
      ],
      contexts: [{ name: 'east', cluster: 'east', user: 'reader' }],
      currentContext: 'east',
    });
    const review = await asReader
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe(
      `system:serviceaccount:${ns}:reader`,
    );
    await expect(
      asReader.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: ns }),
    ).rejects.toMatchObject({
      code: 403,
    });
  });

  // The join suite installs the same release: one suite at a time.
  describe('with the clusters to itself', () => {
    let unlock: () => void;
    beforeAll(async () => {
      unlock = await lockClusters('clusters');
    }, CLUSTERS_TURN_TIMEOUT_MS);
    afterAll(() => unlock?.());

    it('installs the istio-base chart with helm, and the Istio CRDs appear', async () => {
      await run(bins.helm, [
        'upgrade',
        '--install',
        'istio-base',
        bins.istioCharts.base,
        '-n',
        'istio-system',
        '--create-namespace',
        '--kubeconfig',
        kubeconfigPath,
        '--kube-context',
        'east',
        // No validating webhook: it would make the API server dial a ClusterIP.
        '--set',
        'defaultRevision=',
        '--wait',
        '--timeout',
        '90s',
      ]);
      const { stdout: release } = await run(bins.helm, [
        'list',
        '-n',
        'istio-system',
        '-o',
        'json',
        '--kubeconfig',
        kubeconfigPath,
        '--kube-context',
        'east',
      ]);
      expect(JSON.parse(release)[0].chart).toMatch(/^base-1\.\d+\.\d+/);
      const crds = await east
        .makeApiClient(ApiextensionsV1Api)
        .listCustomResourceDefinition();
      const names = crds.items.map(c => c.metadata!.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'gateways.networking.istio.io',
          'serviceentries.networking.istio.io',
          'peerauthentications.security.istio.io',
        ]),
      );
    });
  });

  it('gives a LoadBalancer Service a loopback ingress address', async () => {
    const ns = await namespace(east, 'lb');
    const core = east.makeApiClient(CoreV1Api);
    await core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'gw' },
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'gw' },
          ports: [{ port: 15443 }],
        },
      },
    });
    let ip = '';
    await waitFor(
      'an ingress address',
      async () => {
        const svc = await core.readNamespacedService({
          name: 'gw',
          namespace: ns,
        });
        ip = svc.status?.loadBalancer?.ingress?.[0]?.ip ?? '';
        return !!ip;
      },
      10_000,
    );
    expect(ip).toMatch(/^127\./);
  });

  it("keeps a node's addresses when its Ready condition is lost and kwok initializes it again, as after an API server outage", async () => {
    const core = kubeConfigFor('west').makeApiClient(CoreV1Api);
    const name = 'west-node-2';
    // What the node lifecycle controller writes once heartbeats stop for its grace period.
    await core.patchNodeStatus(
      {
        name,
        body: {
          status: {
            conditions: [
              { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    let node: V1Node | undefined;
    await waitFor(
      `${name} Ready again`,
      async () => {
        node = await core.readNodeStatus({ name });
        return !!node.status?.conditions?.some(
          c => c.type === 'Ready' && c.status === 'True',
        );
      },
      10_000,
    );
    expect(node?.status?.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: name },
    ]);
  });

  it('keeps etcd closed to anyone without a certificate of its own CA', async () => {
    const cluster = runningClusters().find(c => c.name === 'east')!;
    const health = `${cluster.etcdUrl}/health`;
    const file = (name: string) => readFileSync(join(cluster.dir, name));
    const get = (options: RequestOptions) =>
      new Promise<number>((resolve, reject) => {
        const req = request(health, options, res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const ca = file('etcd-ca.crt');
    await expect(get({ ca })).rejects.toThrow(/certificate|alert|socket/i);
    // The cluster's admin certificate opens the API server, not etcd.
    await expect(
      get({ ca, cert: file('admin.crt'), key: file('admin.key') }),
    ).rejects.toThrow(/certificate|alert|socket|unknown ca/i);
    await expect(
      get({
        ca,
        cert: file('apiserver-etcd-client.crt'),
        key: file('apiserver-etcd-client.key'),
      }),
    ).resolves.toBe(200);
    await expect(
      fetch(health.replace('https:', 'http:')).then(r => r.status),
    ).rejects.toThrow();
  });

  // Last, after the suite has exercised the clusters: the loopback rule.
  it('kept every harness process on loopback', () => {
    expect(offLoopbackConnections(harnessPids())).toEqual([]);
  });
});
