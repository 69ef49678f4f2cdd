import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { verifyExamples } from './verify.examples';
import { meshInputs } from './inputs';
import { failOnFailedChecks, verifyAndReport } from './verifyReport';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createVerifyAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:verify',
    description:
      "Checks the mesh after a change with the same rules as the Mesh tab: one root, one meshID, unique cluster names, a remote secret for every pair, a gateway address on every network, consistent network labels, istiod's own view of its peers and gateways, and that every member trusts a workload certificate every other member's istiod issues. Fails with what is missing and its fix.",
    supportsDryRun: true,
    examples: verifyExamples,
    schema: {
      input: {
        meshId: meshInputs.meshId,
        skipIstiodChecks: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Do not ask istiod for its own view (clusterz, networkz): its checks are reported as not asked, and the log's first line says so. Off by default: when istiod cannot be asked, verify fails.",
            ),
        dryRun: meshInputs.dryRun,
      },
      output: {
        checks: z =>
          z
            .array(
              z.object({
                id: z.string(),
                title: z.string(),
                state: z.enum(['pass', 'fail', 'not-asked', 'pending']),
                detail: z.string(),
                fix: z.string().optional(),
                clusters: z.array(z.string()),
              }),
            )
            .describe(
              'One entry per mesh check, as the status API gives them for this mesh',
            ),
      },
    },
    async handler(ctx) {
      if (ctx.input.skipIstiodChecks) {
        ctx.logger.warn(
          "Istio was not asked: skipIstiodChecks is set, so istiod's own view of the mesh is not checked",
        );
      }
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: false },
        async ({ env, log, dryRun }) => {
          if (dryRun) {
            log.info('dry run: the mesh is verified after a real run');
            ctx.output('checks', []);
            return;
          }
          const checks = await verifyAndReport(env, {
            meshId: ctx.input.meshId,
            skipIstiodChecks: ctx.input.skipIstiodChecks,
            log,
          });
          ctx.output('checks', checks);
          failOnFailedChecks(ctx.input.meshId, checks);
        },
      );
    },
  });
}
