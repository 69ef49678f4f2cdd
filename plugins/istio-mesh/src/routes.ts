import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** The mesh overview page. */
export const rootRouteRef = createRouteRef({ id: 'istio-mesh' });

/**
 * The scaffolder's page of one template: the empty states link to the "Add cluster to
 * mesh" template through it. It binds to the scaffolder's selectedTemplate route by
 * default; an app that has no scaffolder leaves it unbound and the link is not shown.
 */
export const addClusterToMeshRouteRef = createExternalRouteRef({
  id: 'istio-mesh-add-cluster-to-mesh',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});

/** The template the empty states offer, as the project's templates/ name it. */
export const ADD_CLUSTER_TEMPLATE = {
  namespace: 'default',
  templateName: 'add-cluster-to-mesh',
};
