import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { MeshEnvironment } from '@istio-mesh/plugin-istio-mesh-node';
import { createCrossNetworkGatewayAction } from './crossNetworkGateway';

function depsWith(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
  const touched: string[] = [];
  const environment = () =>
    ({
      clusters: [
        {
          name: 'east',
          refreshCredentials: async () => undefined,
          kubeConfig: () => {
            touched.push('east');
            throw new Error('no cluster in a unit test');
          },
        },
      ],
    } as unknown as MeshEnvironment);
  return {
    deps: {
      config: mockServices.rootConfig(),
      permissions,
      environment,
    },
    touched,
  };
}

describe('mesh actions and the istio-mesh.admin permission', () => {
  it('refuse to change a cluster for someone without it, before touching the cluster', async () => {
    const { deps, touched } = depsWith(AuthorizeResult.DENY);
    const action = createCrossNetworkGatewayAction(deps);
    await expect(
      action.handler(createMockActionContext({ input: { cluster: 'east' } })),
    ).rejects.toThrow(/needs the istio-mesh.admin permission/);
    expect(touched).toEqual([]);
  });

  it('let anyone dry-run, since a dry run changes nothing', async () => {
    const { deps, touched } = depsWith(AuthorizeResult.DENY);
    const action = createCrossNetworkGatewayAction(deps);
    await expect(
      action.handler(
        createMockActionContext({ input: { cluster: 'east', dryRun: true } }),
      ),
    ).rejects.toThrow(/no cluster in a unit test/);
    expect(touched).toEqual(['east']);
  });
});
