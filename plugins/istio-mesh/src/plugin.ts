import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { IstioMeshClient } from '@istio-mesh/plugin-istio-mesh-common';
import { istioMeshApiRef } from './api';
import { addClusterToMeshRouteRef, rootRouteRef } from './routes';

/**
 * The Istio mesh plugin for Backstage's legacy frontend system.
 *
 * @public
 */
export const istioMeshPlugin = createPlugin({
  id: 'istio-mesh',
  apis: [
    createApiFactory({
      api: istioMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IstioMeshClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
  externalRoutes: { addClusterToMesh: addClusterToMeshRouteRef },
});

/**
 * The mesh overview page, for `<Route path="/istio-mesh" element={<IstioMeshPage />} />`.
 *
 * @public
 */
export const IstioMeshPage: () => JSX.Element = istioMeshPlugin.provide(
  createRoutableExtension({
    name: 'IstioMeshPage',
    component: () =>
      import('./components/MeshOverviewPage').then(m => m.MeshOverviewPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Mesh tab of a Component or System, for an `EntityLayout.Route`.
 *
 * @public
 */
export const EntityIstioMeshContent: () => JSX.Element =
  istioMeshPlugin.provide(
    createComponentExtension({
      name: 'EntityIstioMeshContent',
      component: {
        lazy: () =>
          import('./components/EntityMeshContent').then(
            m => m.EntityMeshContent,
          ),
      },
    }),
  );

/**
 * The Mesh tab of a kubernetes-cluster Resource, for an `EntityLayout.Route`.
 *
 * @public
 */
export const EntityIstioMeshClusterContent: () => JSX.Element =
  istioMeshPlugin.provide(
    createComponentExtension({
      name: 'EntityIstioMeshClusterContent',
      component: {
        lazy: () =>
          import('./components/ClusterMeshContent').then(
            m => m.ClusterMeshContent,
          ),
      },
    }),
  );
