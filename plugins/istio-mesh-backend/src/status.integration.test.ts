import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityEndpointsResponse,
  MeshHealthCheck,
  MembershipResponse,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  apiServerRequests,
  appConfigFragmentPath,
  freePort,
  kubeConfigFor,
  CLUSTERS_TURN_TIMEOUT_MS,
  lockClusters,
  resetIstio,
  restartApiServer,
  scaleIstiod,
  serviceAccountAccess,
  startPrefixProxy,
  startStallingProxy,
  stopApiServer,
  waitForIstiod,
} from '@istio-mesh/local-clusters';
import {
  createRootCa,
  joinCluster,
  meshClustersFromConfig,
  meshEnvironmentFromConfig,
  verifyMesh,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REVIEWS,
  startStatusServer,
  workloadEntity,
} from './__testUtils__/statusServer';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const headers = { authorization: mockCredentials.user.header() };
const replicas: Record<string, number> = { east: 2, west: 1 };

/** What two reports must agree on: each check's verdict and the clusters it names. */
const verdicts = (checks: MeshHealthCheck[]) =>
  checks.map(c => [c.id, c.state, [...c.clusters].sort()]);

/** The demo service: a Deployment of kwok pods and its Service, labelled for the kubernetes plugin. */
async function runReviews(context: string) {
  const kc = kubeConfigFor(context);
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = 'bookinfo';
  // Labelled for injection, so its pods get sidecars and other networks reach them.
  await core
    .createNamespace({
      body: {
        metadata: {
          name: namespace,
          labels: { 'istio-injection': 'enabled' },
        },
      },
    })
    .catch(() => undefined);
  const labels = { app: 'reviews', 'backstage.io/kubernetes-id': 'reviews' };
  // A reused set of clusters may have it from an earlier run.
  const unlessExists = (e: { code?: number }) => {
    if (e.code !== 409) throw e;
  };
  await kc
    .makeApiClient(AppsV1Api)
    .createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'reviews', labels },
        spec: {
          replicas: replicas[context],
          selector: { matchLabels: { app: 'reviews' } },
          template: {
            metadata: { labels },
            spec: {
              containers: [{ name: 'reviews', image: 'example/reviews:1' }],
            },
          },
        },
      },
    })
    .catch(unlessExists);
  await core
    .createNamespacedService({
      namespace,
      body: {
        metadata: { name: 'reviews', labels },
        spec: {
          selector: { app: 'reviews' },
          ports: [{ name: 'http', port: 9080 }],
        },
      },
    })
    .catch(unlessExists);
  for (let i = 0; i < 120; i++) {
    const slices = await kc
      .makeApiClient(DiscoveryV1Api)
      .listNamespacedEndpointSlice({ namespace });
    const ready = slices.items
      .flatMap(s => s.endpoints ?? [])
      .filter(e => e.conditions?.ready).length;
    if (ready === replicas[context]) return;
    await sleep(500);
  }
  throw new Error(`reviews endpoints in ${context} did not become ready`);
}

const quietLog = { info: () => undefined, warn: () => undefined };

describe('the status API against two joined clusters', () => {
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-status-'));
  const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
  let unlock: () => void;
  let config: ConfigReader;
  let url: string;
  let server: Server;
  let ghostPort: number;

  beforeAll(async () => {
    unlock = await lockClusters('status');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await Promise.all(['east', 'west', 'cluster3'].map(resetIstio));
    const root = await createRootCa();
    await writeRootCaDir(join(work, 'root'), root);
    ghostPort = await freePort();
    config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              ...fragment.kubernetes.clusterLocatorMethods[0].clusters,
              {
                name: 'ghost',
                url: `https://127.0.0.1:${ghostPort}`,
                authProvider: 'serviceAccount',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      istioMesh: {
        ...fragment.istioMesh,
        rootCa: { type: 'file', directory: join(work, 'root') },
      },
    });
    const env = meshEnvironmentFromConfig(config);
    for (const cluster of ['east', 'west']) {
      await joinCluster({
        env,
        request: {
          cluster,
          meshId: 'mesh1',
          network: `network-${cluster}`,
          istioVersion: env.istioVersion!,
          dryRun: false,
        },
        holder: 'status test',
        log: quietLog,
      });
      await runReviews(cluster);
    }
    // The local istiod publishes the root once it runs with the plugged-in CA.
    for (const cluster of ['east', 'west']) {
      const core = kubeConfigFor(cluster).makeApiClient(CoreV1Api);
      for (let i = 0; ; i++) {
        const published = await core
          .readNamespacedConfigMap({
            name: 'istio-ca-root-cert',
            namespace: 'istio-system',
          })
          .catch(() => undefined);
        if (published?.data?.['root-cert.pem']?.trim() === root.certPem.trim())
          break;
        if (i === 60) throw new Error(`istiod of ${cluster} published no root`);
        await sleep(500);
      }
    }
    const withGhost = new ConfigReader({
      kubernetes: config.get('kubernetes'),
      istioMesh: {
        clusters: [
          ...fragment.istioMesh.clusters,
          {
            name: 'ghost',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'x',
          },
        ],
      },
    });
    ({ url, server } = await startStatusServer({
      clusters: () => meshClustersFromConfig(withGhost),
      ttlSeconds: 1,
      entities: [
        REVIEWS,
        workloadEntity('many', {
          'backstage.io/kubernetes-label-selector': 'app=many',
          'backstage.io/kubernetes-namespace': 'many-services',
        }),
      ],
    }));
  }, 600_000);

  afterAll(async () => {
    unlock?.();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { headers });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  it('shows both clusters in one mesh, every check green, and a down cluster as down', async () => {
    const body = await getJson<MembershipResponse>('/membership');
    expect(body.meshes).toHaveLength(1);
    const [mesh] = body.meshes;
    expect(mesh.meshId).toBe('mesh1');
    expect(mesh.members.map(m => m.cluster).sort()).toEqual(['east', 'west']);
    expect(mesh.checks.filter(c => c.state !== 'pass')).toEqual([]);
    expect(mesh.links).toEqual([
      { from: 'east', to: 'west', present: true },
      { from: 'west', to: 'east', present: true },
    ]);
    const east = mesh.members.find(m => m.cluster === 'east')!;
    expect(east).toMatchObject({
      clusterName: 'east',
      network: 'network-east',
      namespaceNetwork: 'network-east',
      istiod: { readyReplicas: 1 },
      gateway: { network: 'network-east' },
      remoteSecrets: [{ name: 'istio-remote-secret-west', cluster: 'west' }],
    });
    expect(east.gateway?.address).toMatch(/^127\./);
    expect(east.gateway?.ports.map(p => p.port)).toContain(15443);
    const ghost = body.clusters.find(c => c.cluster === 'ghost')!;
    expect(ghost.reachable).toBe(false);
    expect(ghost.error).toMatch(/ECONNREFUSED/);
  });

  it("lists the service's endpoints in both clusters, reached across networks through the gateway", async () => {
    const membership = await getJson<MembershipResponse>('/membership');
    const gateway = (c: string) =>
      membership.clusters.find(m => m.cluster === c)!.gateway!.address;
    const body = await getJson<EntityEndpointsResponse>(
      '/endpoints?kubernetesId=reviews&namespace=bookinfo',
    );
    const rows = body.endpoints
      .map(e => [
        e.cluster,
        e.namespace,
        e.service,
        e.network,
        e.ready,
        e.total,
      ])
      .sort();
    expect(rows).toEqual([
      ['east', 'bookinfo', 'reviews', 'network-east', 2, 2],
      ['west', 'bookinfo', 'reviews', 'network-west', 1, 1],
    ]);
    const west = body.endpoints.find(e => e.cluster === 'west')!;
    expect(west.mtls).toBe(1);
    expect(west.routes).toEqual([
      {
        fromNetwork: 'network-east',
        via: `${gateway('west')}:15443`,
        endpoints: 1,
      },
      { fromNetwork: 'network-west', via: 'direct', endpoints: 1 },
    ]);
    expect(body.unreachable.map(u => u.cluster)).toEqual(['ghost']);
  });

  it('answers 1,000 distinct endpoint queries with API-server reads bounded by the entities a caller may read, not by the queries', async () => {
    // What one read of the endpoints costs each API server, as it counts them.
    const lists = async () => {
      const counts = await Promise.all(
        ['east', 'west'].map(c =>
          apiServerRequests(c, {
            verb: 'LIST',
            resources: ['services', 'pods', 'endpointslices'],
          }),
        ),
      );
      return counts.reduce((a, b) => a + b, 0);
    };
    await sleep(1100);
    const beforeOne = await lists();
    await getJson('/endpoints?kubernetesId=reviews&namespace=bookinfo');
    const oneRead = (await lists()) - beforeOne;
    expect(oneRead).toBeGreaterThan(0);

    const queries = [
      ...Array.from(
        { length: 900 },
        (_, i) => `/endpoints?kubernetesId=nobody-${i}&namespace=bookinfo`,
      ),
      ...Array.from({ length: 100 }, (_, i) =>
        i % 2
          ? '/endpoints?kubernetesId=reviews&namespace=bookinfo'
          : '/endpoints?namespace=bookinfo&kubernetesId=reviews',
      ),
    ];
    const before = await lists();
    const started = Date.now();
    const statusOf = (q: string) =>
      fetch(`${url}${q}`, { headers }).then(r => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < queries.length; i += 50) {
      statuses.push(
        ...(await Promise.all(queries.slice(i, i + 50).map(statusOf))),
      );
    }
    const seconds = Math.ceil((Date.now() - started) / 1000);
    const spent = (await lists()) - before;
    expect(statuses.slice(0, 900).every(code => code === 404)).toBe(true);
    expect(statuses.slice(900).every(code => code === 200)).toBe(true);
    // Unknown entities are answered from the catalog alone; the one readable query is
    // read at most once per second of the cache's 1 s TTL, however it is spelled.
    expect(spent).toBeLessThanOrEqual(oneRead * (seconds + 1));
  });

  it("agrees with each istiod's /debug/endpointShardz on the service's endpoints (the Mesh tab's cross-check)", async () => {
    const body = await getJson<EntityEndpointsResponse>(
      '/endpoints?kubernetesId=reviews&namespace=bookinfo',
    );
    const ours = { 'Kubernetes/east': 2, 'Kubernetes/west': 1 };
    expect(
      body.istiodCrossChecks
        .map(c => [c.cluster, c.namespace, c.service, c.state])
        .sort(),
    ).toEqual([
      ['east', 'bookinfo', 'reviews', 'agrees'],
      ['west', 'bookinfo', 'reviews', 'agrees'],
    ]);
    for (const check of body.istiodCrossChecks) {
      expect(check.ours).toEqual(ours);
      expect(check.istiod).toEqual(ours);
    }
  });

  it('turns the graph check red when a remote secret is deleted, naming the missing link', async () => {
    await kubeConfigFor('west')
      .makeApiClient(CoreV1Api)
      .deleteNamespacedSecret({
        name: 'istio-remote-secret-east',
        namespace: 'istio-system',
      });
    await sleep(1100);
    const body = await getJson<MembershipResponse>('/membership');
    const graph = body.meshes[0].checks.find(
      c => c.id === 'remote-secret-graph',
    )!;
    expect(graph).toMatchObject({
      state: 'fail',
      detail: 'missing: west has no remote secret for east',
      clusters: ['west'],
    });
    expect(body.meshes[0].links).toContainEqual({
      from: 'west',
      to: 'east',
      present: false,
    });
    // istiod agrees: west's stops reading east.
    let istiodCheck = body.meshes[0].checks.find(
      c => c.id === 'istiod-reads-members',
    )!;
    for (let i = 0; i < 60 && istiodCheck.state === 'pass'; i++) {
      await sleep(1000);
      istiodCheck = (
        await getJson<MembershipResponse>('/membership')
      ).meshes[0].checks.find(c => c.id === 'istiod-reads-members')!;
    }
    expect(istiodCheck).toMatchObject({
      state: 'fail',
      detail: "west's istiod: east missing",
      clusters: ['west'],
    });
  });

  it('gives the same verdicts from verify and the membership API, with a remote secret missing and with an istiod stopped', async () => {
    const env = meshEnvironmentFromConfig(config);
    const membershipChecks = async () => {
      await sleep(1100);
      return (await getJson<MembershipResponse>('/membership')).meshes.find(
        m => m.meshId === 'mesh1',
      )!.checks;
    };
    // The previous test left west without its remote secret for east.
    const { checks: missingSecret } = await verifyMesh(env, 'mesh1', {
      istiodWaitSeconds: 5,
      log: quietLog,
    });
    expect(verdicts(missingSecret)).toEqual(verdicts(await membershipChecks()));
    expect(
      missingSecret.find(c => c.id === 'remote-secret-graph'),
    ).toMatchObject({ state: 'fail', clusters: ['west'] });

    await scaleIstiod('east', 0);
    try {
      await waitForIstiod('east', false);
      const { checks: stopped } = await verifyMesh(env, 'mesh1', {
        istiodWaitSeconds: 5,
        log: quietLog,
      });
      expect(verdicts(stopped)).toEqual(verdicts(await membershipChecks()));
      for (const id of ['istiod-reads-members', 'istiod-knows-gateways']) {
        const check = stopped.find(c => c.id === id)!;
        expect(check.state).toBe('fail');
        expect(check.clusters).toContain('east');
        expect(check.detail).toContain('istiod of cluster east did not answer');
      }
    } finally {
      await scaleIstiod('east', 1);
      await waitForIstiod('east', true);
    }
  });

  it('refuses readers without the istio-mesh.read permission', async () => {
    const denied = await startStatusServer({
      clusters: () => meshClustersFromConfig(config),
      ttlSeconds: 1,
      decision: AuthorizeResult.DENY,
    });
    try {
      const res = await fetch(`${denied.url}/membership`, { headers });
      expect(res.status).toBe(403);
    } finally {
      denied.server.close();
    }
  });

  it('answers within the per-cluster timeout when an API server accepts connections and never answers', async () => {
    const proxy = await startStallingProxy(
      kubeConfigFor('east').getCurrentCluster()!.server,
    );
    proxy.stall();
    const withStalled = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              ...fragment.kubernetes.clusterLocatorMethods[0].clusters,
              {
                name: 'stalled',
                url: proxy.url,
                authProvider: 'serviceAccount',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      istioMesh: {
        clusters: [
          ...fragment.istioMesh.clusters,
          {
            name: 'stalled',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'x',
          },
        ],
      },
    });
    const timeout = 3;
    const stalled = await startStatusServer({
      clusters: () => meshClustersFromConfig(withStalled),
      ttlSeconds: 1,
      clusterTimeoutSeconds: timeout,
    });
    try {
      for (const path of [
        '/membership',
        '/endpoints?kubernetesId=reviews&namespace=bookinfo',
      ]) {
        const started = Date.now();
        const res = await fetch(`${stalled.url}${path}`, { headers });
        const seconds = (Date.now() - started) / 1000;
        expect(res.status).toBe(200);
        const body = await res.json();
        const down = (body.clusters ?? body.unreachable).find(
          (c: { cluster: string }) => c.cluster === 'stalled',
        );
        expect(down.error).toBe(`no answer within ${timeout}s`);
        // The stalled cluster's wait, once, plus the others' reads: not the 30s a
        // request may take, nor a wait per request.
        expect(seconds).toBeLessThan(timeout + 5);
      }
      // A selector for everything, without a namespace, reads nothing.
      const everything = await fetch(
        `${stalled.url}/endpoints?labelSelector=${encodeURIComponent('a!=b')}`,
        { headers },
      );
      expect(everything.status).toBe(400);
    } finally {
      stalled.server.close();
      await proxy.close();
    }
  });

  it('keeps a member that is down in its mesh, and turns the mesh red', async () => {
    await stopApiServer('west');
    try {
      await sleep(1100);
      const body = await getJson<MembershipResponse>('/membership');
      const mesh = body.meshes.find(m => m.meshId === 'mesh1')!;
      expect(mesh.members.map(m => m.cluster).sort()).toEqual(['east', 'west']);
      const west = mesh.members.find(m => m.cluster === 'west')!;
      expect(west).toMatchObject({ reachable: false, clusterName: 'west' });
      expect(mesh.checks.find(c => c.id === 'members-reachable')).toMatchObject(
        { state: 'fail', clusters: ['west'] },
      );
    } finally {
      await restartApiServer('west');
    }
  });

  it('reads a cluster served under a path prefix, as Rancher serves clusters', async () => {
    const eastPlugin =
      fragment.kubernetes.clusterLocatorMethods[0].clusters.find(
        (c: { name: string }) => c.name === 'east',
      );
    const proxy = await startPrefixProxy(
      eastPlugin.url,
      '/k8s/clusters/c-east',
    );
    const withPrefix = (token: string) =>
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'prefixed',
                  url: proxy.url,
                  authProvider: 'serviceAccount',
                  // The client takes plain HTTP only so; the proxy is on loopback.
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
        istioMesh: {
          clusters: [
            {
              name: 'prefixed',
              authProvider: 'serviceAccount',
              serviceAccountToken: token,
            },
          ],
        },
      });
    // The portal's mesh credentials, as a token: a client certificate cannot pass
    // through an HTTP proxy.
    const reader = await serviceAccountAccess(
      'east',
      { name: 'prefix-reader', namespace: 'kube-system' },
      { clusterRole: 'cluster-admin' },
    );
    const prefixed = await startStatusServer({
      clusters: () => meshClustersFromConfig(withPrefix(reader.token)),
      ttlSeconds: 1,
    });
    try {
      const body = (await (
        await fetch(`${prefixed.url}/membership`, { headers })
      ).json()) as MembershipResponse;
      const [membership] = body.clusters;
      expect(membership.error).toBeUndefined();
      expect(membership).toMatchObject({
        cluster: 'prefixed',
        reachable: true,
        meshId: 'mesh1',
        clusterName: 'east',
      });
      // Listed through the prefix: a 404 outside it must not read as "none".
      expect(membership.remoteSecrets.map(r => r.cluster)).toEqual(['west']);
    } finally {
      prefixed.server.close();
      await proxy.close();
      await reader.revoke();
    }
  });

  it('carries at most 100 Services of one cluster, and says so', async () => {
    const core = kubeConfigFor('east').makeApiClient(CoreV1Api);
    const namespace = 'many-services';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    try {
      await Promise.all(
        Array.from({ length: 101 }, (_, i) =>
          core.createNamespacedService({
            namespace,
            body: {
              metadata: { name: `s${i}`, labels: { app: 'many' } },
              spec: { ports: [{ port: 80 }] },
            },
          }),
        ),
      );
      await sleep(1100);
      const body = await getJson<EntityEndpointsResponse>(
        `/endpoints?labelSelector=app%3Dmany&namespace=${namespace}`,
      );
      expect(body.endpoints.filter(e => e.cluster === 'east')).toHaveLength(
        100,
      );
      expect(body.truncated).toEqual([{ cluster: 'east', shown: 100 }]);
    } finally {
      await core.deleteNamespace({ name: namespace });
    }
  });
});
