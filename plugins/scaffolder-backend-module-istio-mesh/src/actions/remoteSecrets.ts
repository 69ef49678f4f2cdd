import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { joinRemoteSecrets } from '@istio-mesh/plugin-istio-mesh-node';
import { remoteSecretsExamples } from './remoteSecrets.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createRemoteSecretsAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:remote-secrets',
    description:
      'Exchanges remote secrets, both ways, between the cluster and every other member, exactly as istioctl create-remote-secret builds them (reader service account token, the API server address peers reach). Holds the mesh membership Lease meanwhile, then checks that no istiod of the mesh is stale.',
    supportsDryRun: true,
    examples: remoteSecretsExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        clusterName: meshInputs.clusterName,
        meshId: meshInputs.meshId,
        network: z =>
          meshInputs
            .network(z)
            .optional()
            .describe(
              'The network istiod must have been installed with; checked under the Lease when given',
            ),
        restartIstiodIfStale: meshInputs.restartIstiodIfStale,
        dryRun: meshInputs.dryRun,
      },
      output: {
        peers: z =>
          z
            .array(z.string())
            .describe('The members remote secrets were exchanged with'),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          const peers = await joinRemoteSecrets({
            env,
            request: {
              cluster: ctx.input.cluster,
              clusterName: ctx.input.clusterName,
              meshId: ctx.input.meshId,
              network: ctx.input.network ?? '',
              istioVersion: '',
              dryRun,
              restartIstiodIfStale: ctx.input.restartIstiodIfStale,
            },
            holder,
            log,
          });
          ctx.output('peers', peers);
        },
      );
    },
  });
}
