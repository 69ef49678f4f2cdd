import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MeshCluster } from '../clusters/meshCluster';
import { readIstiodDebug, shardCounts } from './debugEndpoints';

const cluster = (istiodDebugUrl?: string) =>
  ({ name: 'east', istiodDebugUrl } as MeshCluster);

describe('readIstiodDebug', () => {
  let server: Server;
  let url: string;
  const seen: { url?: string; authorization?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      if (req.url === '/debug/syncz?namespace=redirected') {
        res.statusCode = 302;
        res.setHeader('location', '/debug/clusterz');
        res.end();
      } else if (req.url === '/debug/clusterz') {
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

  it('sends credentials written in the URL as a header, and never puts them in an error', async () => {
    seen.length = 0;
    const withCredentials = url.replace('http://', 'http://reader:s3cr%40t@');
    await expect(
      readIstiodDebug(cluster(withCredentials), '/debug/clusterz'),
    ).resolves.toHaveLength(1);
    expect(seen).toEqual([
      {
        url: '/debug/clusterz',
        authorization: `Basic ${Buffer.from('reader:s3cr@t').toString(
          'base64',
        )}`,
      },
    ]);
    const failed = await readIstiodDebug(
      cluster(withCredentials),
      '/debug/endpointShardz',
    ).catch((e: Error) => e.message);
    expect(failed).not.toMatch(/s3cr|reader/);
  });

  it('follows no redirect', async () => {
    seen.length = 0;
    await expect(
      readIstiodDebug(cluster(url), '/debug/syncz?namespace=redirected'),
    ).rejects.toThrow(
      /answered \/debug\/syncz\?namespace=redirected with a redirect \(HTTP 302\), which the portal does not follow/,
    );
    expect(seen.map(s => s.url)).toEqual(['/debug/syncz?namespace=redirected']);
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
