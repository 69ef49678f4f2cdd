import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MeshCluster } from '../clusters/meshCluster';
import { readIstiodDebug, shardCounts } from './debugEndpoints';

const cluster = (istiodDebugUrl?: string) =>
  ({ name: 'east', istiodDebugUrl } as MeshCluster);

describe('readIstiodDebug', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/debug/clusterz') {
        res.end(JSON.stringify([{ id: 'east', syncStatus: 'synced' }]));
      } else if (req.url === '/debug/networkz') {
        res.end('null');
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());

  it('reads JSON from the configured override address', async () => {
    await expect(
      readIstiodDebug(cluster(url), '/debug/clusterz'),
    ).resolves.toEqual([{ id: 'east', syncStatus: 'synced' }]);
  });

  it("reads networkz's null as no gateways", async () => {
    await expect(
      readIstiodDebug(cluster(url), '/debug/networkz'),
    ).resolves.toEqual([]);
  });

  it('names the cluster and the address when istiod fails', async () => {
    await expect(
      readIstiodDebug(cluster(url), '/debug/endpointShardz'),
    ).rejects.toThrow(
      'istiod of cluster east answered /debug/endpointShardz with HTTP 404',
    );
  });
});

describe('shardCounts', () => {
  it("counts a Service's endpoints per shard, whatever the domain suffix", () => {
    const shards = {
      'reviews.bookinfo.svc.example.org': {
        bookinfo: {
          Shards: { 'Kubernetes/east': [{}, {}], 'Kubernetes/west': [{}] },
        },
      },
      'ratings.bookinfo.svc.example.org': {
        bookinfo: { Shards: { 'Kubernetes/east': [{}] } },
      },
      'reviews.other.svc.example.org': {
        other: { Shards: { 'Kubernetes/east': [{}] } },
      },
    };
    expect(shardCounts(shards, 'bookinfo', 'reviews')).toEqual({
      'Kubernetes/east': 2,
      'Kubernetes/west': 1,
    });
    expect(shardCounts(shards, 'bookinfo', 'details')).toEqual({});
  });
});
