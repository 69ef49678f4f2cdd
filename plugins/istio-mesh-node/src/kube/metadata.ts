import { KubeConfig, V1ObjectMeta } from '@kubernetes/client-node';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const TIMEOUT_MS = 10_000;

/**
 * An API path under the cluster's server address, keeping any path prefix the address
 * has (a Rancher-style proxy serves a cluster at https://host/k8s/clusters/c-1).
 */
export function apiUrl(server: string, path: string): URL {
  return new URL(`${server.replace(/\/+$/, '')}${path}`);
}

/**
 * GETs an API path as PartialObjectMetadata(List): the API server sends names, labels
 * and annotations only, so no Secret data crosses the wire.
 */
async function getAsMetadata(
  kc: KubeConfig,
  path: string,
  as: 'PartialObjectMetadata' | 'PartialObjectMetadataList',
): Promise<unknown> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const url = apiUrl(server, path);
  // kubectl proxy and some path-prefix proxies serve plain HTTP on loopback.
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const options: Parameters<typeof httpsRequest>[1] = {
    method: 'GET',
    headers: { accept: `application/json;as=${as};g=meta.k8s.io;v=v1` },
  };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        body += chunk;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) {
          const err = new Error(
            `HTTP ${res.statusCode} reading ${url.pathname}`,
          ) as Error & { code?: number };
          err.code = res.statusCode;
          reject(err);
          return;
        }
        // Thrown inside this handler, a parse error would never settle the promise:
        // the step would hang on an answer that is not JSON (a proxy's error page).
        try {
          resolve(JSON.parse(body));
        } catch (e) {
          reject(
            new Error(
              `the answer to ${url.pathname} is not JSON: ${
                (e as Error).message
              }`,
            ),
          );
        }
      });
    });
    req.on('error', reject);
    req.setTimeout(TIMEOUT_MS, () =>
      req.destroy(new Error(`timed out after ${TIMEOUT_MS / 1000}s`)),
    );
    req.end();
  });
}

/**
 * Lists objects as metadata only, so reading which remote secrets exist never
 * transfers their kubeconfigs.
 */
export async function listMetadata(
  kc: KubeConfig,
  path: string,
): Promise<V1ObjectMeta[]> {
  const list = (await getAsMetadata(kc, path, 'PartialObjectMetadataList')) as {
    items?: { metadata: V1ObjectMeta }[];
  };
  return (list.items ?? []).map(i => i.metadata);
}

/** One object's metadata, or undefined when it does not exist. */
export async function readMetadata(
  kc: KubeConfig,
  path: string,
): Promise<V1ObjectMeta | undefined> {
  try {
    const object = (await getAsMetadata(kc, path, 'PartialObjectMetadata')) as {
      metadata: V1ObjectMeta;
    };
    return object.metadata;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}
