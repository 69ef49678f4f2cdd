import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ROTATION_PHASES,
  rotateMeshRoot,
} from '@istio-mesh/plugin-istio-mesh-node';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';
import { rotateRootExamples } from './rotateRoot.examples';

export function createRotateRootAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:rotate-root',
    description:
      "Runs one phase of a mesh root rotation without downtime: trust-both (every member trusts the old and the new root), reissue (every member's intermediate from the new root), drop-old-root (the new root only). A phase runs only after the one before it, proven by istiod; the new root is made and kept in istioMesh.nextRootCa.",
    supportsDryRun: true,
    examples: rotateRootExamples,
    schema: {
      input: {
        meshId: meshInputs.meshId,
        phase: z =>
          z
            .enum(ROTATION_PHASES)
            .describe('trust-both, then reissue, then drop-old-root'),
        workloadsTurnedOver: z =>
          z
            .boolean()
            .optional()
            .describe(
              'For drop-old-root: every workload certificate issued under an old intermediate has been renewed or its workload restarted',
            ),
        dryRun: meshInputs.dryRun,
      },
      output: {
        changed: z =>
          z
            .array(z.string())
            .describe(
              'The members whose cacerts the phase wrote (would write, in a dry run)',
            ),
        summary: z =>
          z.array(z.string()).describe('What the phase did to each member'),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          if (!env.nextRoot) {
            throw new InputError(
              'nothing was changed: istioMesh.nextRootCa is not configured; set it to where the new root is to be kept (the same shapes as istioMesh.rootCa)',
            );
          }
          const result = await rotateMeshRoot({
            env,
            nextRoot: env.nextRoot,
            request: {
              meshId: ctx.input.meshId,
              phase: ctx.input.phase,
              workloadsTurnedOver: ctx.input.workloadsTurnedOver,
              dryRun,
            },
            holder,
            log,
          });
          ctx.output('changed', result.changed);
          ctx.output('summary', result.summary);
        },
      );
    },
  });
}
