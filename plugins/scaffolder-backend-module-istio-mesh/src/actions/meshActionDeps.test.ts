import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { MeshEnvironment } from '@istio-mesh/plugin-istio-mesh-node';
import { createCrossNetworkGatewayAction } from './crossNetworkGateway';

function depsWith(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  chartValues: Record<string, unknown> = {},
) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
  const touched: string[] = [];
  const environment = () =>
    ({
      clusters: [
        {
          name: 'east',
          chartValues,
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

  it('refuse a dry run to someone without it too, before touching the cluster: a dry run reads what the run reads', async () => {
    const { deps, touched } = depsWith(AuthorizeResult.DENY);
    const action = createCrossNetworkGatewayAction(deps);
    await expect(
      action.handler(
        createMockActionContext({ input: { cluster: 'east', dryRun: true } }),
      ),
    ).rejects.toThrow(/needs the istio-mesh.admin permission/);
    await expect(
      action.handler(
        createMockActionContext({ input: { cluster: 'east' }, isDryRun: true }),
      ),
    ).rejects.toThrow(/needs the istio-mesh.admin permission/);
    expect(touched).toEqual([]);
  });

  it('refuse bad input before touching a cluster, dry runs included', async () => {
    const { deps, touched } = depsWith(AuthorizeResult.ALLOW);
    const action = createCrossNetworkGatewayAction(deps);
    const run = (input: Record<string, unknown>) =>
      action.handler(createMockActionContext({ input: input as any }));
    await expect(run({ cluster: 'East"\n', dryRun: true })).rejects.toThrow(
      /nothing was changed: input cluster: cluster "East.*" is not a DNS-1123 label/s,
    );
    await expect(run({ cluster: ['east'] })).rejects.toThrow(
      /input cluster must be a string, not an array/,
    );
    await expect(run({ cluster: 'north', dryRun: true })).rejects.toThrow(
      /"north" is not configured for the mesh.*known: east/,
    );
    expect(touched).toEqual([]);
  });

  it('refuse a cluster whose chartValues name keys the charts do not have', async () => {
    const { deps, touched } = depsWith(AuthorizeResult.ALLOW, {
      istiod: { pilott: { env: {} } },
      gatway: {},
    });
    const action = createCrossNetworkGatewayAction(deps);
    await expect(
      action.handler(
        createMockActionContext({ input: { cluster: 'east', dryRun: true } }),
      ),
    ).rejects.toThrow(
      /chartValues.istiod.pilott is not a value of Istio's istiod chart.*chartValues.gatway: there is no such chart/,
    );
    expect(touched).toEqual([]);
  });
});
