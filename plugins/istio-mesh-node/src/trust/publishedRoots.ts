import { CoreV1Api } from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import { certificatesIn } from '../ca/certificateFacts';
import { MeshCluster } from '../clusters/meshCluster';
import { isNotFound } from '../mesh/errors';
import { ISTIO_SYSTEM } from '../mesh/names';

/**
 * The ConfigMap istiod writes its root bundle into, byte for byte, in every namespace:
 * public, unlike cacerts.
 */
export const ROOT_CONFIGMAP = 'istio-ca-root-cert';

/**
 * The roots a cluster's istiod publishes for its workloads: what they verify peers
 * against. None when istiod has published nothing yet.
 */
export async function publishedRoots(
  cluster: MeshCluster,
): Promise<X509Certificate[]> {
  try {
    const cm = await cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({
        name: ROOT_CONFIGMAP,
        namespace: ISTIO_SYSTEM,
      });
    return certificatesIn(cm.data?.['root-cert.pem'] ?? '');
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}
