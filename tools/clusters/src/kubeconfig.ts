import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterEndpoint {
  name: string;
  server: string;
  dir: string;
}

const b64 = (dir: string, file: string) =>
  readFileSync(join(dir, file)).toString('base64');

/** A kubeconfig with one context per cluster, named after the cluster, as the admin. */
export function kubeconfigYaml(
  clusters: ClusterEndpoint[],
  current = clusters[0]?.name,
): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: clusters.map(c => ({
      name: c.name,
      cluster: {
        server: c.server,
        'certificate-authority-data': b64(c.dir, 'ca.crt'),
      },
    })),
    users: clusters.map(c => ({
      name: `${c.name}-admin`,
      user: {
        'client-certificate-data': b64(c.dir, 'admin.crt'),
        'client-key-data': b64(c.dir, 'admin.key'),
      },
    })),
    contexts: clusters.map(c => ({
      name: c.name,
      context: { cluster: c.name, user: `${c.name}-admin` },
    })),
  };
  return JSON.stringify(doc, null, 2);
}
