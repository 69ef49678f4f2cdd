import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  findCluster,
  installMember,
  istioVersionFor,
} from '@istio-mesh/plugin-istio-mesh-node';
import { installExamples } from './install.examples';
import { identityOf, installSchema } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createInstallAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:install',
    description:
      'Everything a join writes into the joining cluster itself, as istio:mesh:cacerts, istio:mesh:helm and istio:mesh:cross-network-gateway do it one after another, but with cacerts signed while istio-base installs (only istiod reads it): istio-system with its network label, cacerts, istio-base, istiod, the east-west gateway and its address, the cross-network Gateway. Dry run renders the charts with helm template.',
    supportsDryRun: true,
    examples: installExamples,
    schema: installSchema,
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          const address = await installMember({
            env,
            cluster: findCluster(env, ctx.input.cluster),
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
