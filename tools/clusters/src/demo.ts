import { join } from 'node:path';
import { kubectl } from './cluster';
import { readState } from './state';
import { Binaries } from './toolchain';

/** Replicas of the demo service per cluster: uneven, so the Mesh tab shows which is which. */
const REPLICAS = [2, 1];

/**
 * The catalog's demo Component `reviews` as workloads: in namespace mesh-demo of every
 * cluster, a Deployment of kwok pods and its Service, labelled
 * backstage.io/kubernetes-id=reviews as the kubernetes plugin finds them. The namespace
 * is labelled for injection, so pods created once istiod runs get sidecars (the
 * stand-ins). Pods made before a cluster joined have none; where istiod's injector now
 * runs, the Deployment is restarted, as Istio's docs tell users to do after labelling.
 * Run it again after a join.
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
          metadata: {
            name: 'mesh-demo',
            labels: { 'istio-injection': 'enabled' },
          },
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
    const kubeconfig = join(c.dir, 'kubeconfig');
    kubectl(bins, kubeconfig, ['apply', '-f', '-'], JSON.stringify(manifest));
    const restarted = restartUninjected(bins, kubeconfig);
    process.stdout.write(
      `demo service reviews: ${REPLICAS[i] ?? 1} pod(s) in ${c.name}/mesh-demo${
        restarted ? ', restarted to get sidecars' : ''
      }\n`,
    );
  });
}

/** Restarts reviews when istiod's injector runs and a pod of it has no sidecar yet. */
function restartUninjected(bins: Binaries, kubeconfig: string): boolean {
  const injector = kubectl(bins, kubeconfig, [
    ...['get', 'mutatingwebhookconfigurations', '-o', 'name'],
  ]);
  if (!injector.includes('istio-sidecar-injector')) return false;
  const pods = JSON.parse(
    kubectl(bins, kubeconfig, [
      ...['get', 'pods', '-n', 'mesh-demo', '-l', 'app=reviews', '-o', 'json'],
    ]),
  ) as { items: { metadata: { annotations?: Record<string, string> } }[] };
  if (
    pods.items.every(p => p.metadata.annotations?.['sidecar.istio.io/status'])
  )
    return false;
  kubectl(bins, kubeconfig, [
    ...['rollout', 'restart', 'deployment/reviews', '-n', 'mesh-demo'],
  ]);
  return true;
}
