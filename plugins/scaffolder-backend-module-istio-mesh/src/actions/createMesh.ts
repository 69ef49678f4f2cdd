import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterOfRef,
  createMesh,
  DEFAULT_INSTALL_CONCURRENCY,
  failedClustersError,
  istioVersionFor,
} from '@istio-mesh/plugin-istio-mesh-node';
import { createMeshExamples } from './createMesh.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';
import { failOnFailedChecks, verifyAndReport } from './verifyReport';

export function createCreateMeshAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:create',
    description:
      "Joins several clusters to one mesh in one run, new or existing: pre-flight for all of them first; then each one's istio-system, cacerts, istio-base, istiod, east-west gateway and cross-network Gateway, a bounded number of clusters at once, each to its end whatever the others do; then one exchange of remote secrets among every member under the mesh Lease; then verify. Ends naming any cluster that failed, with its fix; a re-run completes only what is missing.",
    supportsDryRun: true,
    examples: createMeshExamples,
    schema: {
      input: {
        clusters: z =>
          z
            .array(z.string())
            .describe(
              "The clusters, as named in istioMesh.clusters or as their catalog Resources' entity references (resource:default/east); at least two. Each joins under its own name, on network network-<name>.",
            ),
        meshId: meshInputs.meshId,
        istioVersion: meshInputs.istioVersion,
        concurrency: z =>
          z
            .number()
            .optional()
            .describe(
              `How many clusters install at once, 1 to 16; default ${DEFAULT_INSTALL_CONCURRENCY}`,
            ),
        restartIstiodIfStale: meshInputs.restartIstiodIfStale,
        skipIstiodChecks: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Verify without asking istiod for its own view: those checks are reported as not asked',
            ),
        dryRun: meshInputs.dryRun,
      },
      output: {
        members: z =>
          z
            .array(z.string())
            .describe('Every member of the mesh, each linked to every other'),
        failed: z =>
          z
            .array(z.string())
            .describe('The clusters that did not join; the error names why'),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          const { meshId } = ctx.input;
          const result = await createMesh({
            env,
            request: {
              meshId,
              clusters: ctx.input.clusters.map(clusterOfRef),
              istioVersion: istioVersionFor(env, ctx.input.istioVersion),
              concurrency: ctx.input.concurrency ?? DEFAULT_INSTALL_CONCURRENCY,
              dryRun,
              restartIstiodIfStale: ctx.input.restartIstiodIfStale,
            },
            holder,
            log,
          });
          ctx.output('members', result.members);
          ctx.output(
            'failed',
            result.failed.map(f => f.cluster),
          );
          if (dryRun) {
            log.info('dry run: the mesh is verified after a real run');
          } else if (result.members.length > 0) {
            const checks = await verifyAndReport(env, {
              meshId,
              skipIstiodChecks: ctx.input.skipIstiodChecks,
              log,
            });
            if (result.failed.length === 0) failOnFailedChecks(meshId, checks);
          }
          if (result.failed.length > 0) {
            throw failedClustersError(meshId, result.failed);
          }
        },
      );
    },
  });
}
