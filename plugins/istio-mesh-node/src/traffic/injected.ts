import { V1Pod } from '@kubernetes/client-node';

/**
 * Whether istiod's injector gave the pod its proxy: the injector records what it added
 * in the sidecar.istio.io/status annotation and adds the istio-proxy container (a
 * native sidecar, among the init containers, in current Istio).
 */
export function proxyContainerInjected(pod: V1Pod): boolean {
  return (
    !!pod.metadata?.annotations?.['sidecar.istio.io/status'] &&
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some(
      c => c.name === 'istio-proxy',
    )
  );
}
