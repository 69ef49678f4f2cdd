import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';

/**
 * A loopback reverse proxy that serves a cluster's API under a path prefix, as Rancher
 * serves clusters at /k8s/clusters/<id>: plain HTTP in, the API server's HTTPS out,
 * the caller's Authorization header passed on. Anything outside the prefix is a 404,
 * as on such a proxy. No WebSockets: port-forwards through it are refused, as they
 * may be there.
 */
export async function startPrefixProxy(
  target: string,
  prefix: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found\n');
      return;
    }
    const forwarded = request(
      {
        host: '127.0.0.1',
        port: Number(upstream.port),
        path: req.url.slice(prefix.length),
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        // The harness's own API server, on loopback.
        rejectUnauthorized: false,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', e => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(forwarded);
  });
  // Port-forwards and exec are refused at once, as a proxy without WebSockets does.
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
