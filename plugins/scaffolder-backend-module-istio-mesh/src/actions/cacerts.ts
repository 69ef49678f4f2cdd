import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  applyCacerts,
  applyIstioSystemNamespace,
  findCluster,
} from '@istio-mesh/plugin-istio-mesh-node';
import { cacertsExamples } from './cacerts.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createCacertsAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:cacerts',
    description:
      'Creates istio-system with its topology.istio.io/network label, signs an intermediate CA for the cluster from the mesh root, validates it and stores it as the cacerts Secret, before istiod exists. A valid cacerts from the same root is kept.',
    supportsDryRun: true,
    examples: cacertsExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        clusterName: meshInputs.clusterName,
        network: meshInputs.network,
        dryRun: meshInputs.dryRun,
      },
      output: {
        cacerts: z =>
          z
            .enum(['created', 'updated', 'unchanged'])
            .describe('What happened to the cacerts Secret'),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun }) => {
          const cluster = findCluster(env, ctx.input.cluster);
          await applyIstioSystemNamespace({
            cluster,
            network: ctx.input.network,
            dryRun,
            log,
          });
          const result = await applyCacerts(env, cluster, {
            clusterName: ctx.input.clusterName || ctx.input.cluster,
            dryRun,
            rotate: false,
            log,
          });
          ctx.output('cacerts', result);
        },
      );
    },
  });
}
