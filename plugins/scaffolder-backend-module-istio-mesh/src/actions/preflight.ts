import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { istioVersionFor, planJoin } from '@istio-mesh/plugin-istio-mesh-node';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createPreflightAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:preflight',
    description:
      'Checks that a cluster can join the mesh (reachable, valid and unique names, same meshID as the members, members reachable, root CA can sign, chart version available, helm works) and reports what the join will do. Changes nothing.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Plan joining cluster east to mesh1',
        example:
          'steps:\n  - id: preflight\n    action: istio:mesh:preflight\n    input:\n      cluster: east\n      meshId: mesh1\n      network: network-east\n      istioVersion: 1.30.2\n',
      },
    ],
    schema: {
      input: {
        cluster: meshInputs.cluster,
        clusterName: meshInputs.clusterName,
        meshId: meshInputs.meshId,
        network: meshInputs.network,
        istioVersion: meshInputs.istioVersion,
        dryRun: meshInputs.dryRun,
      },
      output: {
        summary: z =>
          z
            .array(z.string())
            .describe('What the join steps will do, one line each'),
        peers: z =>
          z
            .array(z.string())
            .describe('The members remote secrets will be exchanged with'),
        alreadyMember: z =>
          z
            .boolean()
            .describe('The cluster is already a member: this is a re-run'),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { changes: false },
        async ({ env, log, dryRun }) => {
          const plan = await planJoin(
            env,
            {
              ...ctx.input,
              istioVersion: istioVersionFor(env, ctx.input.istioVersion),
              dryRun,
            },
            log,
          );
          ctx.output('summary', plan.summary);
          ctx.output(
            'peers',
            plan.peers.map(p => p.cluster.name),
          );
          ctx.output('alreadyMember', plan.alreadyMember);
        },
      );
    },
  });
}
