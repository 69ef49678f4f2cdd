import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { removeCluster } from '@istio-mesh/plugin-istio-mesh-node';
import { removeExamples } from './remove.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createRemoveAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:remove',
    description:
      "Takes a cluster out of the mesh: deletes every member's remote secret for it and its own remote secrets, revokes its reader token, optionally helm uninstalls the gateway, istiod and base, then checks that no remaining istiod is stale.",
    supportsDryRun: true,
    examples: removeExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        meshId: z =>
          z
            .string()
            .optional()
            .describe(
              "The mesh the cluster leaves, whose remaining istiods are checked afterwards; read from the cluster's istiod when empty",
            ),
        uninstall: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Also helm uninstall istio-eastwestgateway, istiod and istio-base',
            ),
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
          await removeCluster({
            env,
            request: {
              cluster: ctx.input.cluster,
              meshId: ctx.input.meshId,
              uninstall: !!ctx.input.uninstall,
              dryRun,
              restartIstiodIfStale: ctx.input.restartIstiodIfStale,
            },
            holder: `scaffolder task ${ctx.task.id}`,
            log,
          });
        },
      );
    },
  });
}
