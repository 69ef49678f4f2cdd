import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { rotateClusterCa } from '@istio-mesh/plugin-istio-mesh-node';
import { rotateCacertsExamples } from './rotateCacerts.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createRotateCacertsAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:rotate-cacerts',
    description:
      "Signs a new intermediate for the cluster from the same mesh root and writes it over its cacerts Secret. istiod's file watcher swaps it in without a restart; workload certificates stay valid because the root is unchanged. Then checks that no member's istiod is stale. Holds the mesh Lease while it changes anything.",
    supportsDryRun: true,
    examples: rotateCacertsExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        restartIstiodIfStale: meshInputs.restartIstiodIfStale,
        dryRun: meshInputs.dryRun,
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        ({ env, log, dryRun, holder }) =>
          rotateClusterCa({
            env,
            cluster: ctx.input.cluster,
            restartIstiodIfStale: !!ctx.input.restartIstiodIfStale,
            dryRun,
            holder,
            log,
          }),
      );
    },
  });
}
