import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The annotation the kubernetes plugin finds an entity's workloads by. */
const KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * Whether the caller may read, in the catalog, an entity whose workloads carry this
 * kubernetes-id: the endpoints of one that they cannot see are not theirs to see
 * either, as in the kubernetes plugin.
 */
export function entityReadableIn(catalog: CatalogService) {
  return async (
    kubernetesId: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> => {
    const { items } = await catalog.getEntities(
      {
        filter: { [`metadata.annotations.${KUBERNETES_ID}`]: kubernetesId },
        fields: ['kind', 'metadata.name'],
        limit: 1,
      },
      { credentials },
    );
    return items.length > 0;
  };
}
