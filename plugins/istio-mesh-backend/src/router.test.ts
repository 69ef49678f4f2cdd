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
