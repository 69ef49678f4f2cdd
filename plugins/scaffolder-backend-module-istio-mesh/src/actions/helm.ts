import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  findCluster,
  installCharts,
  istioVersionFor,
} from '@istio-mesh/plugin-istio-mesh-node';
import { helmExamples } from './helm.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createHelmAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:helm',
    description:
      'helm upgrade --install of istio-base, istiod (global.meshID, global.multiCluster.clusterName, global.network) and the east-west gateway (name=istio-eastwestgateway, networkGateway), in that order, then waits for the gateway address. Dry run renders the charts with helm template.',
    supportsDryRun: true,
    examples: helmExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        clusterName: meshInputs.clusterName,
        meshId: meshInputs.meshId,
        network: meshInputs.network,
        istioVersion: meshInputs.istioVersion,
        dryRun: meshInputs.dryRun,
      },
      output: {
        gatewayAddress: z =>
          z
            .string()
            .optional()
            .describe("The east-west gateway's LoadBalancer IP or hostname"),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { changes: true },
        async ({ env, log, dryRun }) => {
          const cluster = findCluster(env, ctx.input.cluster);
          const address = await installCharts({
            env,
            cluster,
            identity: {
              meshId: ctx.input.meshId,
              clusterName: ctx.input.clusterName || ctx.input.cluster,
              network: ctx.input.network,
            },
            istioVersion: istioVersionFor(env, ctx.input.istioVersion),
            dryRun,
            holder: `scaffolder task ${ctx.task.id}`,
            log,
          });
          if (address) ctx.output('gatewayAddress', address);
        },
      );
    },
  });
}
