import { AuthorizationV1Api } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { ISTIO_SYSTEM } from '../mesh/names';

/**
 * Whether the portal's credentials may port-forward to pods in istio-system: how
 * verify and the status API ask istiod, unless an istiodDebugUrl overrides it.
 */
export async function mayPortForwardToIstiod(
  cluster: MeshCluster,
): Promise<boolean> {
  if (cluster.istiodDebugUrl) return true;
  const review = await cluster
    .kubeConfig()
    .makeApiClient(AuthorizationV1Api)
    .createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: {
            namespace: ISTIO_SYSTEM,
            verb: 'create',
            resource: 'pods',
            subresource: 'portforward',
          },
        },
      },
    });
  return !!review.status?.allowed;
}
