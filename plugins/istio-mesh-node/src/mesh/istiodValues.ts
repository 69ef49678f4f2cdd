import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { isNotFound } from './errors';
import { ISTIO_SYSTEM, ISTIOD_VALUES_CONFIGMAP } from './names';

/**
 * The mesh identity a cluster's istiod was installed with.
 *
 * @public
 */
export interface IstiodIdentity {
  meshId?: string;
  clusterName?: string;
  network?: string;
  version?: string;
  /** meshConfig.trustDomain, when the values set one. */
  trustDomain?: string;
}

/**
 * Reads the values the istiod chart rendered into the `values` ConfigMap: a public
 * ConfigMap, so membership never needs a Secret. Undefined when istiod is not installed.
 *
 * @public
 */
export async function readIstiodIdentity(
  kc: KubeConfig,
): Promise<IstiodIdentity | undefined> {
  let data: Record<string, string> | undefined;
  try {
    data = (
      await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({
        name: ISTIOD_VALUES_CONFIGMAP,
        namespace: ISTIO_SYSTEM,
      })
    ).data;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const merged = JSON.parse(data?.['merged-values'] ?? '{}');
  const global = merged.global ?? {};
  return {
    meshId: global.meshID || undefined,
    clusterName: global.multiCluster?.clusterName || undefined,
    network: global.network || undefined,
    version: global.tag ? String(global.tag) : undefined,
    trustDomain: merged.meshConfig?.trustDomain || undefined,
  };
}
