import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { removeCluster } from '@istio-mesh/plugin-istio-mesh-node';
import { removeExamples } from './remove.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createRemoveAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:remove',
    description:
      "Takes a cluster out of the mesh: deletes every member's remote secret for it and its own remote secrets, revokes its reader token, rotates every remaining member's reader token, deletes its cacerts and records its intermediate as removed, optionally helm uninstalls the gateway, istiod and base, then checks that no remaining istiod is stale. With force, a cluster whose API server cannot be read is removed from every other member, and leftBehind lists what stays in it.",
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
        force: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Go ahead when the cluster's API server cannot be read: clean every other member, and list in leftBehind what stays in the cluster. Off by default",
            ),
        restartIstiodIfStale: meshInputs.restartIstiodIfStale,
        dryRun: meshInputs.dryRun,
      },
      output: {
        leftBehind: z =>
          z
            .array(z.string())
            .describe(
              'What a forced removal could not clean in the unreachable cluster, one line each; empty otherwise',
            ),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          const { leftBehind } = await removeCluster({
            env,
            request: {
              cluster: ctx.input.cluster,
              meshId: ctx.input.meshId,
              uninstall: !!ctx.input.uninstall,
              force: !!ctx.input.force,
              dryRun,
              restartIstiodIfStale: ctx.input.restartIstiodIfStale,
            },
            holder,
            log,
          });
          ctx.output('leftBehind', leftBehind);
        },
      );
    },
  });
}
