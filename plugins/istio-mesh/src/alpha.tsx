import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { IstioMeshClient } from '@istio-mesh/plugin-istio-mesh-common';
import { istioMeshApiRef } from './api';
import { isKubernetesCluster, isMeshWorkload } from './entityFilters';
import { addClusterToMeshRouteRef, rootRouteRef } from './routes';

const routes = convertLegacyRouteRefs({ overview: rootRouteRef });

const istioMeshApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: istioMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IstioMeshClient({ discoveryApi, fetchApi }),
    }),
});

const workloadMeshContent = EntityContentBlueprint.make({
  name: 'workload',
  params: {
    path: '/mesh',
    title: 'Mesh',
    filter: isMeshWorkload,
    loader: () =>
      import('./components/EntityMeshContent').then(m => (
        <m.EntityMeshContent />
      )),
  },
});

const clusterMeshContent = EntityContentBlueprint.make({
  name: 'cluster',
  params: {
    path: '/mesh',
    title: 'Mesh',
    filter: isKubernetesCluster,
    loader: () =>
      import('./components/ClusterMeshContent').then(m => (
        <m.ClusterMeshContent />
      )),
  },
});

const overviewPage = PageBlueprint.make({
  params: {
    path: '/istio-mesh',
    title: 'Service mesh',
    // With a title and an icon the page gets its entry in the app's navigation.
    icon: <DeviceHubIcon fontSize="inherit" />,
    routeRef: routes.overview,
    loader: () =>
      import('./components/MeshOverviewPage').then(m => <m.MeshOverviewPage />),
  },
});

/**
 * The Istio mesh plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'istio-mesh',
  title: 'Service mesh',
  icon: <DeviceHubIcon fontSize="inherit" />,
  routes,
  externalRoutes: convertLegacyRouteRefs({
    addClusterToMesh: addClusterToMeshRouteRef,
  }),
  extensions: [
    istioMeshApi,
    workloadMeshContent,
    clusterMeshContent,
    overviewPage,
  ],
});
