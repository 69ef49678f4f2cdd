import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  findCluster,
  installCharts,
  istioVersionFor,
} from '@istio-mesh/plugin-istio-mesh-node';
import { helmExamples } from './helm.examples';
import { identityOf, installSchema } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createHelmAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:helm',
    description:
      'helm upgrade --install of istio-base, istiod (global.meshID, global.multiCluster.clusterName, global.network) and the east-west gateway (name=istio-eastwestgateway, labelled for its network, ports 15021 and 15443, the L4 load balancer of its cloud), in that order, then waits for the gateway address. Dry run renders the charts with helm template.',
    supportsDryRun: true,
    examples: helmExamples,
    schema: installSchema,
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          const cluster = findCluster(env, ctx.input.cluster);
          const address = await installCharts({
            env,
            cluster,
            identity: identityOf(ctx.input),
            istioVersion: istioVersionFor(env, ctx.input.istioVersion),
            dryRun,
            holder,
            log,
          });
          if (address) ctx.output('gatewayAddress', address);
        },
      );
    },
  });
}
