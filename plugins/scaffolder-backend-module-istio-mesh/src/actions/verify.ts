import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { verifyMesh } from '@istio-mesh/plugin-istio-mesh-node';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createVerifyAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:verify',
    description:
      'Checks the mesh after a change: every member holds a remote secret for every other member, all members share one root, and every network has a gateway address. Fails with what is missing.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Verify mesh1',
        example:
          'steps:\n  - id: verify\n    action: istio:mesh:verify\n    input:\n      meshId: mesh1\n',
      },
    ],
    schema: {
      input: { meshId: meshInputs.meshId, dryRun: meshInputs.dryRun },
      output: {
        checks: z =>
          z
            .array(
              z.object({
                check: z.string(),
                cluster: z.string(),
                state: z.enum(['pass', 'fail', 'skipped']),
                detail: z.string(),
                fix: z.string().optional(),
              }),
            )
            .describe('One entry per check and cluster'),
      },
    },
    async handler(ctx) {
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
          const checks = await verifyMesh(env, ctx.input.meshId);
          for (const c of checks) {
            const line = `${c.check} [${c.cluster}]: ${c.state}, ${c.detail}${
              c.fix ? `; fix: ${c.fix}` : ''
            }`;
            if (c.state === 'fail') log.warn(line);
            else log.info(line);
          }
          ctx.output('checks', checks);
          const failed = checks.filter(c => c.state === 'fail');
          if (failed.length) {
            throw new Error(
              `mesh ${ctx.input.meshId} failed ${
                failed.length
              } check(s): ${failed
                .map(c => `${c.check} on ${c.cluster}: ${c.detail}`)
                .join('; ')}`,
            );
          }
        },
      );
    },
  });
}
