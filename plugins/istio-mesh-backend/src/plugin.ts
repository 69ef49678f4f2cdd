import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { istioMeshPermissions } from '@istio-mesh/plugin-istio-mesh-common';
import {
  DEFAULT_CLUSTER_TIMEOUT_SECONDS,
  defaultCloudStrategies,
  meshClustersFromConfig,
  removedIntermediatesLocationFromConfig,
} from '@istio-mesh/plugin-istio-mesh-node';
import { entityReadableIn } from './entityReadable';
import {
  cacheTtlSecondsFromConfig,
  statusLimitsFromConfig,
} from './statusConfig';
import { createRouter } from './router';

/**
 * Serves the live state of the mesh to the Mesh tab and overview.
 *
 * @public
 */
export const istioMeshPlugin = createBackendPlugin({
  pluginId: 'istio-mesh',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({
        httpRouter,
        config,
        cache,
        httpAuth,
        permissions,
        permissionsRegistry,
        logger,
        catalog,
      }) {
        // Listed so that policies and the permission UI can name them.
        permissionsRegistry.addPermissions(istioMeshPermissions);
        const strategies = defaultCloudStrategies(config, logger);
        httpRouter.use(
          await createRouter({
            clusters: () => meshClustersFromConfig(config, strategies),
            removedIntermediatesIn: clusters =>
              removedIntermediatesLocationFromConfig(config, clusters),
            cache,
            httpAuth,
            permissions,
            ttlSeconds: cacheTtlSecondsFromConfig(config),
            limits: statusLimitsFromConfig(config),
            entityReadable: entityReadableIn(catalog),
            clusterTimeoutSeconds:
              config.getOptionalNumber(
                'istioMesh.status.clusterTimeoutSeconds',
              ) ?? DEFAULT_CLUSTER_TIMEOUT_SECONDS,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
