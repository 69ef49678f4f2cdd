import {
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { RemovedIntermediate } from '@istio-mesh/plugin-istio-mesh-common';
import { Config } from '@backstage/config';
import { MeshCluster } from '../clusters/meshCluster';
import {
  findCluster,
  meshLeaseFromConfig,
} from '../environment/meshEnvironment';
import { FIELD_MANAGER } from '../kube/apply';
import { describeKubeError, isNotFound } from '../mesh/errors';

/**
 * Where removed intermediates are recorded, in the lease namespace of the management
 * cluster: the mesh root still trusts them until they expire.
 */
export const REMOVED_INTERMEDIATES_CONFIGMAP =
  'istio-mesh-removed-intermediates';

/**
 * Where the records live: the management cluster and its lease namespace.
 *
 * @public
 */
export interface RemovedIntermediatesLocation {
  cluster: MeshCluster;
  namespace: string;
}

/** Adds one record, keeping the others. */
export async function recordRemovedIntermediate(
  at: RemovedIntermediatesLocation,
  removed: RemovedIntermediate,
): Promise<void> {
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: REMOVED_INTERMEDIATES_CONFIGMAP,
      namespace: at.namespace,
    },
    data: {
      [`${removed.clusterName}.${removed.serial}`]: JSON.stringify(removed),
    },
  };
  const api = KubernetesObjectApi.makeApiClient(at.cluster.kubeConfig());
  // A merge adds this key and keeps the others; an apply would drop earlier records.
  await api
    .patch(
      configMap,
      undefined,
      undefined,
      FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    )
    .catch(async e => {
      if (!isNotFound(e)) throw e;
      await api.create(configMap, undefined, undefined, FIELD_MANAGER);
    });
}

/**
 * Every record, none when nothing was ever removed; or why they could not be read, so
 * that a calendar says its list of removed intermediates is incomplete.
 *
 * @public
 */
export async function readRemovedIntermediates(
  at: RemovedIntermediatesLocation,
): Promise<{ records: RemovedIntermediate[]; error?: string }> {
  const where = `ConfigMap ${at.namespace}/${REMOVED_INTERMEDIATES_CONFIGMAP} of cluster ${at.cluster.name}`;
  try {
    const configMap = await at.cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({
        name: REMOVED_INTERMEDIATES_CONFIGMAP,
        namespace: at.namespace,
      });
    return {
      records: Object.values(configMap.data ?? {}).map(
        v => JSON.parse(v) as RemovedIntermediate,
      ),
    };
  } catch (e) {
    if (isNotFound(e)) return { records: [] };
    return {
      records: [],
      error: `cannot read ${where} (${
        e instanceof SyntaxError ? e.message : describeKubeError(e)
      })`,
    };
  }
}

/**
 * Where removals record intermediates under this app-config: the lease location
 * (istioMesh.lease), among `clusters`, whose credentials the caller keeps fresh. None
 * when no cluster is configured, so nothing can have been removed.
 *
 * @public
 */
export function removedIntermediatesLocationFromConfig(
  config: Config,
  clusters: MeshCluster[],
): RemovedIntermediatesLocation | undefined {
  if (clusters.length === 0) return undefined;
  const lease = meshLeaseFromConfig(config, clusters);
  return {
    cluster: findCluster({ clusters }, lease.cluster),
    namespace: lease.namespace,
  };
}
