import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  applyCrossNetworkGateway,
  findCluster,
} from '@istio-mesh/plugin-istio-mesh-node';
import { crossNetworkGatewayExamples } from './crossNetworkGateway.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createCrossNetworkGatewayAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:cross-network-gateway',
    description:
      'Applies the cross-network Gateway (networking.istio.io/v1, AUTO_PASSTHROUGH on 15443, hosts *.local) in istio-system, as samples/multicluster/expose-services.yaml does.',
    supportsDryRun: true,
    examples: crossNetworkGatewayExamples,
    schema: {
      input: { cluster: meshInputs.cluster, dryRun: meshInputs.dryRun },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun }) => {
          await applyCrossNetworkGateway(
            findCluster(env, ctx.input.cluster),
            dryRun,
            log,
          );
        },
      );
    },
  });
}
