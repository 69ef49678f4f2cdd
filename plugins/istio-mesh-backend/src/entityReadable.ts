import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityWorkloadQuery,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@istio-mesh/plugin-istio-mesh-common';

/** The kubernetes plugin's annotations, each beside the query part it fills. */
const ANNOTATIONS: Record<keyof EntityWorkloadQuery, string> = {
  kubernetesId: 'backstage.io/kubernetes-id',
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: KUBERNETES_NAMESPACE_ANNOTATION,
};

/** What a query is matched on, in the words the caller sees in a 404. */
export function describeWorkloadQuery(query: EntityWorkloadQuery): string {
  return (Object.keys(ANNOTATIONS) as (keyof EntityWorkloadQuery)[])
    .filter(key => query[key])
    .map(key => `${ANNOTATIONS[key]} ${query[key]}`)
    .join(' and ');
}

/**
 * Whether the caller may read, in the catalog, an entity annotated with exactly this
 * query (its kubernetes-id or label selector, and its namespace): the endpoints of
 * one they cannot see are not theirs to see either, as in the kubernetes plugin, and
 * a query no entity makes reads nothing.
 */
export function entityReadableIn(catalog: CatalogService) {
  return async (
    query: EntityWorkloadQuery,
    credentials: BackstageCredentials,
  ): Promise<boolean> => {
    const filter: Record<string, string> = {};
    for (const key of Object.keys(
      ANNOTATIONS,
    ) as (keyof EntityWorkloadQuery)[]) {
      const value = query[key];
      if (value) filter[`metadata.annotations.${ANNOTATIONS[key]}`] = value;
    }
    const { items } = await catalog.getEntities(
      { filter, fields: ['kind', 'metadata.name'], limit: 1 },
      { credentials },
    );
    return items.length > 0;
  };
}
