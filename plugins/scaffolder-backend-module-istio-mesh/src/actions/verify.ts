import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { remoteClusterRows } from '@istio-mesh/plugin-istio-mesh-common';
import {
  formatRemoteClusters,
  formatTrustMatrix,
  verifyMesh,
} from '@istio-mesh/plugin-istio-mesh-node';
import { verifyExamples } from './verify.examples';
import { meshInputs } from './inputs';
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
                state: z.enum(['pass', 'fail', 'not-asked']),
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
        { changes: false },
        async ({ env, log, dryRun }) => {
          if (dryRun) {
            log.info('dry run: the mesh is verified after a real run');
            ctx.output('checks', []);
            return;
          }
          const { checks, members, trust } = await verifyMesh(
            env,
            ctx.input.meshId,
            { skipIstiodChecks: ctx.input.skipIstiodChecks, log },
          );
          for (const m of members.filter(x => x.istiodView?.clusters)) {
            log.info(
              [
                `remote clusters of ${m.cluster}'s istiod (as istioctl remote-clusters):`,
                ...formatRemoteClusters(remoteClusterRows(m)),
              ].join('\n'),
            );
          }
          log.info(
            [
              'trust between members, each proven with a workload certificate its istiod issued:',
              ...formatTrustMatrix(
                members.map(m => m.cluster),
                trust,
              ),
            ].join('\n'),
          );
          for (const c of checks) {
            const line = `${c.id}: ${c.state}, ${c.detail}${
              c.fix ? `; fix: ${c.fix}` : ''
            }`;
            if (c.state === 'pass') log.info(line);
            else log.warn(line);
          }
          ctx.output('checks', checks);
          const failed = checks.filter(c => c.state === 'fail');
          if (failed.length) {
            throw new Error(
              `mesh ${ctx.input.meshId} failed ${
                failed.length
              } check(s): ${failed
                .map(c => `${c.id} (${c.clusters.join(', ')}): ${c.detail}`)
                .join('; ')}`,
            );
          }
        },
      );
    },
  });
}
