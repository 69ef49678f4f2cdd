import { KubeConfig } from '@kubernetes/client-node';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { listMetadata } from './metadata';

describe('listMetadata', () => {
  let server: Server;
  const kc = new KubeConfig();
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/api/v1/namespaces/ok/')) {
        res.end(JSON.stringify({ items: [{ metadata: { name: 'a' } }] }));
      } else {
        res.end('<html>a proxy error page</html>');
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    kc.loadFromClusterAndUser(
      {
        name: 'local',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        // Plain HTTP on loopback, as kubectl proxy serves; the client asks for this.
        skipTLSVerify: true,
      },
      { name: 'portal' },
    );
  });
  afterAll(() => server.close());

  it('reads the metadata the API server sends', async () => {
    await expect(
      listMetadata(kc, '/api/v1/namespaces/ok/secrets'),
    ).resolves.toEqual([{ name: 'a' }]);
  });

  it('fails, rather than hangs, on an answer that is not JSON', async () => {
    await expect(
      listMetadata(kc, '/api/v1/namespaces/proxied/secrets'),
    ).rejects.toThrow(
      /the answer to \/api\/v1\/namespaces\/proxied\/secrets is not JSON/,
    );
  });
});
