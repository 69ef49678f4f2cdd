import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { defaultCloudStrategies } from '@istio-mesh/plugin-istio-mesh-node';
import { createMeshActions } from './actions';

/** @public */
export const istioMeshScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'istio-mesh',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, permissions, logger, catalog }) {
        const deps = {
          config,
          permissions,
          catalog,
          cloudStrategies: defaultCloudStrategies(config, logger),
        };
        scaffolder.addActions(...createMeshActions(deps));
      },
    });
  },
});
