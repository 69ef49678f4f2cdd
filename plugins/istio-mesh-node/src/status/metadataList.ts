import { KubeConfig, V1ObjectMeta } from '@kubernetes/client-node';
import { request } from 'node:https';

/**
 * Lists objects as PartialObjectMetadata: the API server sends names, labels and
 * annotations only, so reading which remote secrets exist never transfers their
 * kubeconfigs.
 */
export async function listMetadata(
  kc: KubeConfig,
  path: string,
): Promise<V1ObjectMeta[]> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const url = new URL(path, server);
  const options: Parameters<typeof request>[1] = {
    method: 'GET',
    headers: {
      accept:
        'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
    },
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
            `HTTP ${res.statusCode} listing ${url.pathname}`,
          ) as Error & { code?: number };
          err.code = res.statusCode;
          reject(err);
          return;
        }
        resolve(
          (JSON.parse(body).items ?? []).map(
            (i: { metadata: V1ObjectMeta }) => i.metadata,
          ),
        );
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out after 10s')));
    req.end();
  });
}
