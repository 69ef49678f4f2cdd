import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  defaultNetworkOf,
  MeshStepError,
  StepLog,
} from '@istio-mesh/plugin-istio-mesh-node';

/** Where a cluster's catalog Resource names its Istio network, as a label or annotation. */
export const RESOURCE_NETWORK_KEY = 'istio.io/network';

function resourceRef(cluster: string, clusterEntityRef?: string): string {
  if (!clusterEntityRef) return `resource:default/${cluster}`;
  let ref;
  try {
    ref = parseEntityRef(clusterEntityRef, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `nothing was changed: input clusterEntityRef: ${(e as Error).message}`,
    );
  }
  if (
    ref.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    ref.name !== cluster
  ) {
    throw new InputError(
      `nothing was changed: input clusterEntityRef "${clusterEntityRef}" is not the Resource of cluster ${cluster}`,
    );
  }
  return stringifyEntityRef(ref);
}

/**
 * The network a cluster joins when the input names none: its catalog Resource's
 * istio.io/network label, else that annotation, else network-<cluster>. A catalog that
 * cannot be read stops the join rather than guess: a wrong network sends traffic to pod
 * IPs another network cannot reach.
 */
export async function networkFromResource(options: {
  catalog?: CatalogService;
  credentials: () => Promise<BackstageCredentials>;
  cluster: string;
  clusterEntityRef?: string;
  log: StepLog;
}): Promise<string> {
  const { catalog, cluster, log } = options;
  const fallback = defaultNetworkOf(cluster);
  const ref = resourceRef(cluster, options.clusterEntityRef);
  if (!catalog) return fallback;
  let entity;
  try {
    entity = await catalog.getEntityByRef(ref, {
      credentials: await options.credentials(),
    });
  } catch (e) {
    throw new MeshStepError(
      cluster,
      'pre-flight',
      `cannot read ${ref} from the catalog for its ${RESOURCE_NETWORK_KEY} (${
        (e as Error).message
      })`,
      'give the network input, or fix the catalog and re-run',
    );
  }
  const named =
    entity?.metadata.labels?.[RESOURCE_NETWORK_KEY] ??
    entity?.metadata.annotations?.[RESOURCE_NETWORK_KEY];
  if (named) {
    log.info(
      `cluster ${cluster}: network ${named}, from the ${RESOURCE_NETWORK_KEY} of ${ref}`,
    );
    return named;
  }
  log.info(
    `cluster ${cluster}: network ${fallback}, the default: ${
      entity
        ? `${ref} has no ${RESOURCE_NETWORK_KEY}`
        : `no ${ref} in the catalog`
    }`,
  );
  return fallback;
}
