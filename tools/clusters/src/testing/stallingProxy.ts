import { KubeConfig } from '@kubernetes/client-node';
import { createConnection, createServer, Socket } from 'node:net';

/** A loopback TCP proxy that a test can make stall, as a hung API server does. */
export interface StallingProxy {
  /** `https://127.0.0.1:<port>`, with the target's path, if any. */
  url: string;
  /** From now on, accepted connections are held open and nothing is forwarded. */
  stall(): void;
  close(): Promise<void>;
}

/**
 * Proxies to `target` on loopback until stall() is called: then every open and new
 * connection is kept, but no byte moves either way, so a client sees a server that
 * accepts connections and never answers. TLS passes through untouched: the target's
 * certificate names 127.0.0.1, and so does the proxy.
 */
export async function startStallingProxy(
  target: string,
): Promise<StallingProxy> {
  const upstream = new URL(target);
  let stalled = false;
  const sockets = new Set<Socket>();
  const hold = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server = createServer(client => {
    hold(client);
    if (stalled) {
      client.pause();
      return;
    }
    const to = createConnection({
      host: '127.0.0.1',
      port: Number(upstream.port),
    });
    hold(to);
    client.pipe(to);
    to.pipe(client);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    stall() {
      stalled = true;
      for (const s of sockets) {
        s.unpipe();
        s.pause();
      }
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The same credentials for the same cluster, reached at another address. */
export function kubeConfigAt(kc: KubeConfig, server: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.clusters.map(c =>
      c.name === kc.getCurrentCluster()?.name ? { ...c, server } : c,
    ),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return copy;
}
