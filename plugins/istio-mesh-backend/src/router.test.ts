import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import {
  MeshCluster,
  readMeshStatus,
} from '@istio-mesh/plugin-istio-mesh-node';
import { startStatusServer } from './__testUtils__/statusServer';

jest.mock('@istio-mesh/plugin-istio-mesh-node', () => ({
  ...jest.requireActual('@istio-mesh/plugin-istio-mesh-node'),
  readMeshStatus: jest.fn(),
}));

const readStatus = readMeshStatus as jest.MockedFunction<typeof readMeshStatus>;

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
      ...options,
    });
    servers.push(s);
    return s;
  };

  afterEach(async () => {
    readStatus.mockReset();
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
