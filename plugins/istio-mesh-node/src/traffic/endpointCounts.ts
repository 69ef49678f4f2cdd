import { CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';

/** The pod label the injector sets, from which istiod decides an endpoint takes mTLS. */
export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';

/** A Service's ready endpoints in one cluster, and how many of those take mTLS. */
export interface EndpointCounts {
  ready: number;
  total: number;
  mtls: number;
}

/**
 * Counts a Service's endpoints from its EndpointSlices, and among the ready ones those
 * whose pod carries tlsMode=istio: what istiod counts as mTLS-capable when it decides
 * whether another network may reach an endpoint (Istio's model.EndpointMetadata).
 */
export async function serviceEndpointCounts(
  cluster: MeshCluster,
  namespace: string,
  services: string[],
): Promise<Map<string, EndpointCounts>> {
  const kc = cluster.kubeConfig();
  const [slices, pods] = await Promise.all([
    kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace }),
    kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace }),
  ]);
  const takesMtls = new Set(
    pods.items
      .filter(p => p.metadata?.labels?.[TLS_MODE_LABEL] === 'istio')
      .map(p => p.metadata!.name!),
  );
  const counts = new Map<string, EndpointCounts>();
  for (const service of services) {
    const endpoints = slices.items
      .filter(
        s => s.metadata?.labels?.['kubernetes.io/service-name'] === service,
      )
      .flatMap(s => s.endpoints ?? []);
    const ready = endpoints.filter(e => e.conditions?.ready !== false);
    counts.set(service, {
      ready: ready.length,
      total: endpoints.length,
      mtls: ready.filter(
        e => e.targetRef?.kind === 'Pod' && takesMtls.has(e.targetRef.name!),
      ).length,
    });
  }
  return counts;
}
