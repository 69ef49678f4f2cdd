import { request } from 'node:https';
import { kubeConfigFor } from './clusters';

/**
 * How many requests of one verb a cluster's kube-apiserver has served for some
 * resources, summed from its own apiserver_request_total metric: what the API server
 * counted, whoever sent them.
 */
export async function apiServerRequests(
  context: string,
  wanted: { verb: string; resources: string[] },
): Promise<number> {
  const kc = kubeConfigFor(context);
  const server = new URL(kc.getCurrentCluster()!.server);
  const options = {
    hostname: server.hostname,
    port: server.port,
    path: `${server.pathname.replace(/\/$/, '')}/metrics`,
    method: 'GET',
  };
  await kc.applyToHTTPSOptions(options);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(options, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        body += chunk;
      });
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(body)
          : reject(
              new Error(`${context}: /metrics answered ${res.statusCode}`),
            ),
      );
    });
    req.on('error', reject);
    req.end();
  });
  return sumRequests(text, wanted);
}

/** The sum of apiserver_request_total over the series with this verb and resources. */
export function sumRequests(
  metrics: string,
  wanted: { verb: string; resources: string[] },
): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    const series = /^apiserver_request_total\{(.*)\} (\S+)$/.exec(line);
    if (!series) continue;
    const labels = Object.fromEntries(
      [...series[1].matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]),
    );
    if (
      labels.verb === wanted.verb &&
      wanted.resources.includes(labels.resource) &&
      !labels.subresource
    ) {
      total += Number(series[2]);
    }
  }
  return total;
}
