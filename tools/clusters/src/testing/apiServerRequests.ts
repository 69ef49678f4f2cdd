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
  return sumRequests(await apiServerMetrics(context), wanted);
}

/**
 * How many requests to one subresource (pods/portforward, pods/exec) the cluster's
 * kube-apiserver holds open right now, from its apiserver_longrunning_requests gauge: a
 * stream a client left open stays counted until it is closed.
 */
export async function apiServerOpenStreams(
  context: string,
  wanted: { resource: string; subresource: string },
): Promise<number> {
  return sumOpenStreams(await apiServerMetrics(context), wanted);
}

/** The labels and value of each series of one metric. */
function seriesOf(metrics: string, name: string) {
  const pattern = new RegExp(`^${name}\\{(.*)\\} (\\S+)$`);
  return metrics.split('\n').flatMap(line => {
    const series = pattern.exec(line);
    if (!series) return [];
    const labels: Record<string, string> = Object.fromEntries(
      [...series[1].matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]),
    );
    return [{ labels, value: Number(series[2]) }];
  });
}

/** The sum of apiserver_longrunning_requests over the series of this subresource. */
export function sumOpenStreams(
  metrics: string,
  wanted: { resource: string; subresource: string },
): number {
  return seriesOf(metrics, 'apiserver_longrunning_requests')
    .filter(
      s =>
        s.labels.resource === wanted.resource &&
        s.labels.subresource === wanted.subresource,
    )
    .reduce((total, s) => total + s.value, 0);
}

async function apiServerMetrics(context: string): Promise<string> {
  const kc = kubeConfigFor(context);
  const server = new URL(kc.getCurrentCluster()!.server);
  const options = {
    hostname: server.hostname,
    port: server.port,
    path: `${server.pathname.replace(/\/$/, '')}/metrics`,
    method: 'GET',
  };
  await kc.applyToHTTPSOptions(options);
  return new Promise<string>((resolve, reject) => {
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
}

/** The sum of apiserver_request_total over the series with this verb and resources. */
export function sumRequests(
  metrics: string,
  wanted: { verb: string; resources: string[] },
): number {
  return seriesOf(metrics, 'apiserver_request_total')
    .filter(
      s =>
        s.labels.verb === wanted.verb &&
        wanted.resources.includes(s.labels.resource) &&
        !s.labels.subresource,
    )
    .reduce((total, s) => total + s.value, 0);
}
