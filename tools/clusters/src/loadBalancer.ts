import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { ClusterState } from './cluster';
import { sleep } from './processes';

/**
 * Plays the cloud provider's part for LoadBalancer Services: gives each one a distinct
 * address in 127.<cluster index + 1>.0.0/16, so nothing off loopback is ever advertised.
 */
export async function runLoadBalancerLoop(
  clusters: ClusterState[],
): Promise<never> {
  const apis = clusters.map(c => {
    const kc = new KubeConfig();
    kc.loadFromFile(join(c.dir, 'kubeconfig'));
    return { cluster: c, api: kc.makeApiClient(CoreV1Api), next: 1 };
  });
  for (;;) {
    for (const entry of apis) {
      try {
        const services = await entry.api.listServiceForAllNamespaces();
        for (const svc of services.items) {
          if (
            svc.spec?.type !== 'LoadBalancer' ||
            svc.status?.loadBalancer?.ingress?.length
          )
            continue;
          const n = entry.next++;
          const ip = `127.${entry.cluster.index + 1}.${Math.floor(n / 250)}.${
            (n % 250) + 1
          }`;
          await entry.api.replaceNamespacedServiceStatus({
            name: svc.metadata!.name!,
            namespace: svc.metadata!.namespace!,
            body: { ...svc, status: { loadBalancer: { ingress: [{ ip }] } } },
          });
        }
      } catch {
        // The API server may be starting or stopping; the next pass retries.
      }
    }
    await sleep(500);
  }
}
