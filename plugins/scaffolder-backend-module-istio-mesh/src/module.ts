import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createValidateCacertsAction } from './actions/validateCacerts';

export const istioMeshScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'istio-mesh',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(createValidateCacertsAction());
      },
    });
  },
});
