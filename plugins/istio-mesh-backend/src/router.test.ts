import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import {
  entityEndpoints,
  MeshCluster,
  readMeshStatus,
} from '@istio-mesh/plugin-istio-mesh-node';
import {
  startStatusServer,
  workloadEntity,
} from './__testUtils__/statusServer';

jest.mock('@istio-mesh/plugin-istio-mesh-node', () => ({
  ...jest.requireActual('@istio-mesh/plugin-istio-mesh-node'),
  readMeshStatus: jest.fn(),
  entityEndpoints: jest.fn(),
}));

const readStatus = readMeshStatus as jest.MockedFunction<typeof readMeshStatus>;
const readEndpoints = entityEndpoints as jest.MockedFunction<
  typeof entityEndpoints
>;
const noEndpoints = {
  endpoints: [],
  istiodCrossChecks: [],
  routesTold: [],
  unreachable: [],
};

/** The reviews Component of one namespace. */
const reviewsIn = (namespace: string) =>
  workloadEntity(`reviews-${namespace}`, {
    'backstage.io/kubernetes-id': 'reviews',
    'backstage.io/kubernetes-namespace': namespace,
  });

/** A configured cluster that is never dialled: the mesh read is stubbed. */
const cluster = (name: string) =>
  ({ name, refreshCredentials: async () => {} } as unknown as MeshCluster);

describe('the status router', () => {
  const servers: Awaited<ReturnType<typeof startStatusServer>>[] = [];
  const start = async (
    options: Partial<Parameters<typeof startStatusServer>[0]> = {},
  ) => {
    const s = await startStatusServer({
      clusters: () => [cluster('east'), cluster('west')],
      ttlSeconds: 10,
      entities: [reviewsIn('shop'), reviewsIn('other')],
      ...options,
    });
    servers.push(s);
    return s;
  };

  afterEach(async () => {
    readStatus.mockReset();
    readEndpoints.mockReset();
    await Promise.all(
      servers.splice(0).map(s => new Promise(r => s.server.close(r))),
    );
  });

  it('answers 403 without the read permission, before reading any cluster', async () => {
    const { url } = await start({ decision: AuthorizeResult.DENY });
    const res = await fetch(`${url}/membership`);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain('istio-mesh.read');
    expect(readStatus).not.toHaveBeenCalled();
  });

  it('answers 400 for endpoints without an entity annotation to find workloads by', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/endpoints?namespace=shop`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(
      'backstage.io/kubernetes-id',
    );
  });

  it.each([
    ['no namespace', 'kubernetesId=reviews', /namespace is required/],
    [
      'a namespace that is no name',
      'kubernetesId=reviews&namespace=..%2Fkube-system',
      /namespace "..\/kube-system" is not a DNS-1123 label/,
    ],
    [
      'an array',
      'kubernetesId=reviews&namespace=shop&namespace=other',
      /namespace must be given once, as a string/,
    ],
    [
      'an object',
      'kubernetesId=reviews&namespace[a]=shop',
      /namespace must be given once, as a string/,
    ],
    [
      'an invalid selector',
      'labelSelector=app%3D%22x%22&namespace=shop',
      /label selector .* is not valid/,
    ],
    [
      'a selector for everything',
      'labelSelector=a!%3Db',
      /namespace is required/,
    ],
    [
      'a kubernetesId that is no label value',
      'kubernetesId=a%20b&namespace=shop',
      /kubernetesId "a b" is not a label value/,
    ],
    [
      'an unknown parameter',
      'kubernetesId=reviews&namespace=shop&limit=5',
      /unknown query parameter\(s\) limit/,
    ],
  ])(
    'answers 400 for endpoints with %s, before reading any cluster',
    async (_what, query, message) => {
      const { url } = await start();
      const res = await fetch(`${url}/endpoints?${query}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
      expect(readStatus).not.toHaveBeenCalled();
    },
  );

  it('with cacheTtlSeconds 0 reads the mesh for every request, and never asks the cache', async () => {
    readStatus.mockImplementation(async () => ({ meshes: [], clusters: [] }));
    const { url, cache } = await start({ ttlSeconds: 0 });
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${url}/membership`)).status).toBe(200);
    }
    expect(readStatus).toHaveBeenCalledTimes(3);
    // Backstage's cache stores keep an entry written with ttl 0 for ever.
    expect(cache.writes).toBe(0);
    expect(cache.hits).toBe(0);
  });

  it.each([
    [
      'the kubernetes-id of an entity the caller cannot read',
      'kubernetesId=reviews&namespace=elsewhere',
      'no entity you may read has backstage.io/kubernetes-id reviews and backstage.io/kubernetes-namespace elsewhere',
    ],
    [
      'a label selector no entity the caller can read has',
      'labelSelector=app%3Dreviews&namespace=shop',
      'no entity you may read has backstage.io/kubernetes-label-selector app=reviews and backstage.io/kubernetes-namespace shop',
    ],
  ])(
    'answers 404 for %s, before reading any cluster',
    async (_what, query, message) => {
      const { url } = await start();
      const res = await fetch(`${url}/endpoints?${query}`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toBe(message);
      expect(readStatus).not.toHaveBeenCalled();
      expect(readEndpoints).not.toHaveBeenCalled();
    },
  );

  it("answers an entity's label selector query", async () => {
    readStatus.mockImplementation(async () => ({ meshes: [], clusters: [] }));
    readEndpoints.mockImplementation(async () => noEndpoints);
    const { url } = await start({
      entities: [
        workloadEntity('many', {
          'backstage.io/kubernetes-label-selector': 'app=many',
          'backstage.io/kubernetes-namespace': 'shop',
        }),
      ],
    });
    const res = await fetch(
      `${url}/endpoints?labelSelector=app%3Dmany&namespace=shop`,
    );
    expect(res.status).toBe(200);
    expect(readEndpoints).toHaveBeenCalledTimes(1);
  });

  it('keeps at most maxCachedAnswers answers and runs at most maxConcurrentReads fan-outs, over 1,000 distinct queries', async () => {
    readStatus.mockImplementation(async () => ({ meshes: [], clusters: [] }));
    let running = 0;
    let most = 0;
    readEndpoints.mockImplementation(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise(r => setTimeout(r, 5));
      running--;
      return noEndpoints;
    });
    const { url, cache } = await start({
      limits: { maxCachedAnswers: 50, maxConcurrentReads: 3 },
      // Each query is some readable entity's; the 404 has tests of its own.
      entityReadable: async () => true,
    });
    const ask = (i: number) =>
      fetch(`${url}/endpoints?kubernetesId=reviews&namespace=ns-${i}`);
    const statuses: number[] = [];
    const retryAfter = new Set<string | null>();
    for (let batch = 0; batch < 100; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => ask(batch * 10 + i)),
      );
      for (const a of answers) {
        statuses.push(a.status);
        if (a.status === 429) retryAfter.add(a.headers.get('retry-after'));
        await a.arrayBuffer();
      }
    }
    expect(statuses).toHaveLength(1000);
    expect(retryAfter).toEqual(new Set(['2']));
    expect(new Set(statuses)).toEqual(new Set([200, 429]));
    expect(most).toBe(3);
    expect(readEndpoints.mock.calls.length).toBe(
      statuses.filter(x => x === 200).length,
    );
    expect(cache.size()).toBeLessThanOrEqual(51);
  });

  it('serves a cached answer even while every fan-out is busy', async () => {
    readStatus.mockImplementation(async () => ({ meshes: [], clusters: [] }));
    readEndpoints.mockImplementation(async () => noEndpoints);
    const { url } = await start({ limits: { maxConcurrentReads: 1 } });
    const query = `${url}/endpoints?kubernetesId=reviews&namespace=shop`;
    expect((await fetch(query)).status).toBe(200);
    let release!: () => void;
    readEndpoints.mockImplementation(
      () => new Promise(r => (release = () => r(noEndpoints))),
    );
    const busy = fetch(`${url}/endpoints?kubernetesId=reviews&namespace=other`);
    await new Promise(r => setTimeout(r, 100));
    expect((await fetch(query)).status).toBe(200);
    release();
    expect((await busy).status).toBe(200);
  });

  it('shares one fan-out between concurrent requests, then serves the cache', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => {
      release = r;
    });
    readStatus.mockImplementation(async clusters => {
      await gate;
      return {
        meshes: [],
        clusters: clusters.map(
          c =>
            ({
              cluster: c.name,
              reachable: true,
              remoteSecrets: [],
            } as ClusterMembership),
        ),
      };
    });
    const { url, cache } = await start();
    const answers = Array.from({ length: 5 }, () =>
      fetch(`${url}/membership`).then(r => r.json()),
    );
    await new Promise(r => setTimeout(r, 100));
    release();
    const bodies = await Promise.all(answers);
    expect(readStatus).toHaveBeenCalledTimes(1);
    expect(new Set(bodies.map(b => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0].clusters.map((c: ClusterMembership) => c.cluster)).toEqual(
      ['east', 'west'],
    );
    await fetch(`${url}/membership`);
    expect(readStatus).toHaveBeenCalledTimes(1);
    expect(cache.hits).toBe(1);
  });
});
