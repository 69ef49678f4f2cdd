import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  applyCacerts,
  ensureIstiodsFresh,
  findCluster,
  readIstiodIdentity,
} from '@istio-mesh/plugin-istio-mesh-node';
import { rotateCacertsExamples } from './rotateCacerts.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createRotateCacertsAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:rotate-cacerts',
    description:
      "Signs a new intermediate for the cluster from the same mesh root and writes it over its cacerts Secret. istiod's file watcher swaps it in without a restart; workload certificates stay valid because the root is unchanged. Then checks that no member's istiod is stale.",
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
        { changes: true },
        async ({ env, log, dryRun }) => {
          const cluster = findCluster(env, ctx.input.cluster);
          const identity = await readIstiodIdentity(cluster.kubeConfig());
          const result = await applyCacerts(env, cluster, {
            clusterName: identity?.clusterName ?? cluster.name,
            dryRun,
            rotate: true,
            log,
          });
          if (!dryRun && result !== 'unchanged' && identity?.meshId) {
            await ensureIstiodsFresh({
              env,
              meshId: identity.meshId,
              changed: [identity.clusterName ?? cluster.name],
              restartIstiodIfStale: !!ctx.input.restartIstiodIfStale,
              step: 'rotate cacerts',
              log,
            });
          }
        },
      );
    },
  });
}
