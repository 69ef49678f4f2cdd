import { createSpecializedBackend } from '@backstage/backend-app-api';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceMock,
  actionsServiceMock,
  metricsServiceMock,
  tracingServiceMock,
} from '@backstage/backend-test-utils/alpha';
import { freePort } from '../ports';

/**
 * A Backstage backend with startTestBackend's mock services, but listening on
 * 127.0.0.1 only: startTestBackend binds every interface, which these machines flag.
 */
export async function startLoopbackBackend(
  features: BackendFeature[],
  config: Record<string, unknown> = {},
  /** Decides permissions instead of allowing everything. */
  permissions: ServiceFactory = mockServices.permissions.factory(),
) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = createSpecializedBackend({
    defaultServiceFactories: [
      mockServices.rootConfig.factory({
        data: {
          ...config,
          backend: {
            ...((config.backend as object) ?? {}),
            baseUrl,
            listen: { host: '127.0.0.1', port },
          },
        },
      }),
      rootHttpRouterServiceFactory(),
      discoveryServiceFactory,
      mockServices.auth.factory(),
      mockServices.auditor.factory(),
      mockServices.cache.factory(),
      mockServices.database.factory(),
      mockServices.httpAuth.factory(),
      mockServices.httpRouter.factory(),
      mockServices.lifecycle.factory(),
      mockServices.logger.factory(),
      permissions,
      mockServices.permissionsRegistry.factory(),
      mockServices.rootHealth.factory(),
      mockServices.rootLifecycle.factory(),
      mockServices.rootLogger.factory(),
      mockServices.scheduler.factory(),
      mockServices.userInfo.factory(),
      mockServices.urlReader.factory(),
      mockServices.events.factory(),
      actionsRegistryServiceMock.factory(),
      actionsServiceMock.factory(),
      metricsServiceMock.factory(),
      tracingServiceMock.factory(),
    ],
  });
  for (const feature of features) backend.add(feature);
  await backend.start();
  return { baseUrl, stop: () => backend.stop() };
}
