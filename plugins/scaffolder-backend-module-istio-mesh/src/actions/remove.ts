import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { removeCluster } from '@istio-mesh/plugin-istio-mesh-node';
import { removeExamples } from './remove.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createRemoveAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:remove',
    description:
      "Takes a cluster out of the mesh: deletes every member's remote secret for it and its own remote secrets, revokes its reader token, and optionally helm uninstalls the gateway, istiod and base.",
    supportsDryRun: true,
    examples: removeExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        uninstall: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Also helm uninstall istio-eastwestgateway, istiod and istio-base',
            ),
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
              uninstall: !!ctx.input.uninstall,
              dryRun,
            },
            holder: `scaffolder task ${ctx.task.id}`,
            log,
          });
        },
      );
    },
  });
}
