/**
 * The status API's membership and endpoints routes at N = 2, 10 and 20 clusters: the
 * local clusters, plus cluster entries aimed at the same API servers under other names,
 * so every fan-out is a real API call; and a service with 2,000 EndpointSlices. Prints
 * latency from cold and from cache, API calls per request, and the ratio of each N's
 * cold latency to N = 2's, measured in the same run. Then 256 and 1,000 distinct
 * /endpoints queries, each for an entity of its own, asked by four clients at a time:
 * the heap the backend keeps after each, and the 1,000's as a ratio of the 256's.
 */
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  appConfigFragmentPath,
  kubeConfigFor,
  runningClusters,
  up,
} from '@istio-mesh/local-clusters';
import { CoreV1Api, DiscoveryV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { meshClustersFromConfig } from '../plugins/istio-mesh-node/src';
import {
  startStatusServer,
  workloadEntity,
} from '../plugins/istio-mesh-backend/src/__testUtils__/statusServer';
import { mockCredentials } from '@backstage/backend-test-utils';

const SLICES = 2000;
const NAMESPACE = 'bench-status';

let apiCalls = 0;
// Every API call authenticates through the KubeConfig: generated clients with
// applySecurityAuthentication, the metadata list with applyToHTTPSOptions.
for (const method of [
  'applySecurityAuthentication',
  'applyToHTTPSOptions',
] as const) {
  const original = KubeConfig.prototype[method] as (
    ...a: unknown[]
  ) => Promise<void>;
  (KubeConfig.prototype as unknown as Record<string, unknown>)[method] =
    function count(this: KubeConfig, ...args: unknown[]) {
      apiCalls++;
      return original.apply(this, args);
    };
}

async function seedSlices() {
  const core = kubeConfigFor('east').makeApiClient(CoreV1Api);
  await core
    .createNamespace({ body: { metadata: { name: NAMESPACE } } })
    .catch(() => undefined);
  await core
    .createNamespacedService({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name: 'bench',
          labels: { 'backstage.io/kubernetes-id': 'bench' },
        },
        spec: { ports: [{ port: 80 }] },
      },
    })
    .catch(() => undefined);
  const discovery = kubeConfigFor('east').makeApiClient(DiscoveryV1Api);
  const existing = await discovery.listNamespacedEndpointSlice({
    namespace: NAMESPACE,
  });
  for (let i = existing.items.length; i < SLICES; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, SLICES - i) }, (_, j) =>
        discovery.createNamespacedEndpointSlice({
          namespace: NAMESPACE,
          body: {
            metadata: {
              name: `bench-${i + j}`,
              labels: {
                'kubernetes.io/service-name': 'bench',
                // Not the controller's: it leaves these slices alone.
                'endpointslice.kubernetes.io/managed-by': 'bench',
              },
            },
            addressType: 'IPv4',
            endpoints: [
              {
                addresses: [`10.200.${(i + j) >> 8}.${(i + j) & 255}`],
                conditions: { ready: true },
              },
            ],
            ports: [{ port: 80 }],
          },
        }),
      ),
    );
  }
}

async function main() {
  try {
    runningClusters();
  } catch {
    await up(2);
  }
  await seedSlices();
  const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
  const real = fragment.kubernetes.clusterLocatorMethods[0].clusters;
  const realMesh = fragment.istioMesh.clusters;
  const headers = { authorization: mockCredentials.user.header() };
  let out = `${'N'.padStart(3)}${'route'.padStart(11)}${'cold ms'.padStart(
    9,
  )}${'cached ms'.padStart(11)}${'API calls'.padStart(
    11,
  )}${'cold vs N=2'.padStart(13)}\n`;
  const baseline: Record<string, number> = {};
  for (const n of [2, 10, 20]) {
    const names = Array.from({ length: n }, (_, i) =>
      i < real.length ? real[i].name : `alias${i}`,
    );
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: names.map((name, i) => ({
              ...real[i % real.length],
              name,
            })),
          },
        ],
      },
      istioMesh: {
        clusters: names.map((name, i) => ({
          ...realMesh[i % realMesh.length],
          name,
        })),
      },
    });
    const { url, server } = await startStatusServer({
      clusters: () => meshClustersFromConfig(config),
      ttlSeconds: 60,
      entities: [
        workloadEntity('bench', {
          'backstage.io/kubernetes-id': 'bench',
          'backstage.io/kubernetes-namespace': NAMESPACE,
        }),
      ],
    });
    for (const route of [
      '/membership',
      `/endpoints?kubernetesId=bench&namespace=${NAMESPACE}`,
    ]) {
      const timed = async () => {
        const start = Date.now();
        const res = await fetch(`${url}${route}`, { headers });
        if (!res.ok) throw new Error(`${route}: ${res.status}`);
        await res.json();
        return Date.now() - start;
      };
      apiCalls = 0;
      const cold = await timed();
      const calls = apiCalls;
      const cached = await timed();
      const name = route.split('?')[0].slice(1);
      baseline[name] ??= cold;
      out += `${String(n).padStart(3)}${name.padStart(11)}${String(
        cold,
      ).padStart(9)}${String(cached).padStart(11)}${String(calls).padStart(
        11,
      )}${(cold / baseline[name]).toFixed(2).padStart(13)}\n`;
    }
    server.close();
  }
  process.stdout.write(out);
  process.stdout.write(await distinctQueries(real, realMesh));
  await kubeConfigFor('east')
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name: NAMESPACE });
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The heap in MiB once garbage is collected: what the backend keeps. */
function heapMiB(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * A caller sending many distinct queries: every entity readable, so each query is a
 * fan-out. The cache keeps at most istioMesh.status.maxCachedAnswers answers (256 by
 * default), so the heap kept after 1,000 queries should be that of 256 answers.
 */
async function distinctQueries(
  real: JsonObject[],
  realMesh: JsonObject[],
): Promise<string> {
  const config = new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [{ type: 'config', clusters: real }],
    },
    istioMesh: { clusters: realMesh },
  });
  const headers = { authorization: mockCredentials.user.header() };
  let out = `\n${'queries'.padStart(8)}${'answered'.padStart(
    10,
  )}${'429'.padStart(6)}${'API calls'.padStart(11)}${'heap MiB'.padStart(
    10,
  )}${'heap vs 256'.padStart(13)}\n`;
  let baseline: number | undefined;
  // The first round only warms the code paths up; its heap is the compiler's.
  for (const n of [10, 256, 1000]) {
    const ids = Array.from({ length: n }, (_, i) => `distinct-${i}`);
    const { url, server } = await startStatusServer({
      clusters: () => meshClustersFromConfig(config),
      ttlSeconds: 600,
      entities: ids.map(id =>
        workloadEntity(id, {
          'backstage.io/kubernetes-id': id,
          'backstage.io/kubernetes-namespace': NAMESPACE,
        }),
      ),
    });
    const before = heapMiB();
    apiCalls = 0;
    let answered = 0;
    let refused = 0;
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const res = await fetch(
            `${url}/endpoints?kubernetesId=${id}&namespace=${NAMESPACE}`,
            { headers },
          );
          await res.arrayBuffer();
          if (res.ok) answered++;
          else if (res.status === 429) refused++;
          else throw new Error(`${id}: ${res.status}`);
        }
      }),
    );
    const kept = heapMiB() - before;
    server.close();
    if (n === 10) continue;
    baseline ??= kept;
    out += `${String(n).padStart(8)}${String(answered).padStart(10)}${String(
      refused,
    ).padStart(6)}${String(apiCalls).padStart(11)}${kept
      .toFixed(2)
      .padStart(10)}${(kept / baseline).toFixed(2).padStart(13)}\n`;
  }
  return out;
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
