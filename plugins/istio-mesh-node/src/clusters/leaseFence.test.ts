import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createServer, Server } from 'node:http';
import { fenceSignal } from './leaseFence';
import { guardRequests } from './requestGuard';

describe('the fence of a signal', () => {
  let server: Server;
  let served = 0;
  const kc = new KubeConfig();

  beforeAll(async () => {
    server = createServer((_req, res) => {
      served++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ kind: 'Namespace', metadata: { name: 'x' } }));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    kc.loadFromOptions({
      // Plain HTTP on loopback: the client allows it only with skipTLSVerify.
      clusters: [
        { name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true },
      ],
      users: [{ name: 'u' }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
  });

  afterAll(() => new Promise(r => server.close(r)));

  it('is judged as each request leaves, so a request the fence stops is never sent', async () => {
    const lost = new AbortController();
    let expired = false;
    fenceSignal(lost.signal, () => {
      if (expired) lost.abort(new Error('lease ran out'));
    });
    const api = guardRequests(kc, {
      timeoutMs: 5000,
      signal: lost.signal,
    }).makeApiClient(CoreV1Api);

    await api.readNamespace({ name: 'x' });
    expect(served).toBe(1);
    expired = true;
    await expect(api.readNamespace({ name: 'x' })).rejects.toThrow();
    expect(lost.signal.aborted).toBe(true);
    expect(served).toBe(1);
  });
});
