import { join } from 'node:path';
import { kubectl } from './cluster';
import { readState } from './state';
import { Binaries } from './toolchain';

/** Replicas of the demo service per cluster: uneven, so the Mesh tab shows which is which. */
const REPLICAS = [2, 1];

/**
 * The catalog's demo Component `reviews` as workloads: in namespace mesh-demo of every
 * cluster, a Deployment of kwok pods and its Service, labelled
 * backstage.io/kubernetes-id=reviews as the kubernetes plugin finds them.
 */
export function deployDemo(bins: Binaries): void {
  const state = readState();
  if (!state) throw new Error('no clusters: run yarn clusters up first');
  const labels = { app: 'reviews', 'backstage.io/kubernetes-id': 'reviews' };
  state.clusters.forEach((c, i) => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'mesh-demo' },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'reviews', namespace: 'mesh-demo', labels },
          spec: {
            replicas: REPLICAS[i] ?? 1,
            selector: { matchLabels: { app: 'reviews' } },
            template: {
              metadata: { labels },
              spec: {
                containers: [{ name: 'reviews', image: 'example/reviews:1' }],
              },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'reviews', namespace: 'mesh-demo', labels },
          spec: {
            selector: { app: 'reviews' },
            ports: [{ name: 'http', port: 9080 }],
          },
        },
      ],
    };
    kubectl(
      bins,
      join(c.dir, 'kubeconfig'),
      ['apply', '-f', '-'],
      JSON.stringify(manifest),
    );
    process.stdout.write(
      `demo service reviews: ${REPLICAS[i] ?? 1} pod(s) in ${
        c.name
      }/mesh-demo\n`,
    );
  });
}
