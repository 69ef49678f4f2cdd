import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { defaultCloudStrategies } from '@istio-mesh/plugin-istio-mesh-node';
import { createCacertsAction } from './actions/cacerts';
import { createCrossNetworkGatewayAction } from './actions/crossNetworkGateway';
import { createHelmAction } from './actions/helm';
import { createPreflightAction } from './actions/preflight';
import { createRemoteSecretsAction } from './actions/remoteSecrets';
import { createRemoveAction } from './actions/remove';
import { createRotateCacertsAction } from './actions/rotateCacerts';
import { createValidateCacertsAction } from './actions/validateCacerts';
import { createVerifyAction } from './actions/verify';

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
      },
      async init({ scaffolder, config, permissions, logger }) {
        const deps = {
          config,
          permissions,
          cloudStrategies: defaultCloudStrategies(config, logger),
        };
        scaffolder.addActions(
          createValidateCacertsAction(),
          createPreflightAction(deps),
          createCacertsAction(deps),
          createHelmAction(deps),
          createCrossNetworkGatewayAction(deps),
          createRemoteSecretsAction(deps),
          createVerifyAction(deps),
          createRemoveAction(deps),
          createRotateCacertsAction(deps),
        );
      },
    });
  },
});
