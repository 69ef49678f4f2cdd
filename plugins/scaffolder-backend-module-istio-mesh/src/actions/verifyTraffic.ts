import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_PROBE_IMAGES,
  formatRouteProof,
  verifyCrossClusterTraffic,
} from '@istio-mesh/plugin-istio-mesh-node';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';
import { verifyTrafficExamples } from './verifyTraffic.examples';

export function createVerifyTrafficAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:verify-traffic',
    description:
      "The runbook's closing check: creates a probe namespace labelled for injection in every member (refusing one that exists unless an earlier probe made it, and istio-system, kube-system and the mesh's own namespaces), applies Istio's helloworld sample (its version named after each member) and a curl client in it; reads, for each client, what istiod tells its sidecar about helloworld (own network direct, every other network through its east-west gateway on 15443); then sends real requests from each client and counts which members answered. Holds the mesh Lease throughout, and deletes the namespace it created afterwards unless keepProbe is set. Fails naming each wrong route and its fix.",
    supportsDryRun: true,
    examples: verifyTrafficExamples,
    schema: {
      input: {
        meshId: meshInputs.meshId,
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              'The probe namespace, created by the probe; mesh-probe by default',
            ),
        revision: z =>
          z
            .string()
            .optional()
            .describe(
              'The istiod revision to inject from (istio.io/rev on the namespace); istio-injection=enabled when empty',
            ),
        helloworldImage: z =>
          z
            .string()
            .optional()
            .describe(
              `The helloworld image; ${DEFAULT_PROBE_IMAGES.helloworld} (Istio's sample) by default`,
            ),
        curlImage: z =>
          z
            .string()
            .optional()
            .describe(
              `The client image, with curl and sleep; ${DEFAULT_PROBE_IMAGES.curl} (Istio's sample) by default`,
            ),
        keepProbe: z =>
          z
            .boolean()
            .optional()
            .describe('Leave the probe in place afterwards'),
        requests: z =>
          z
            .number()
            .int()
            .min(1)
            .max(200)
            .optional()
            .describe(
              'Requests per client at most; a client stops once every member answered. 10 per member by default',
            ),
        dryRun: meshInputs.dryRun,
      },
      output: {
        ok: z => z.boolean().describe('Whether every route and request passed'),
        routes: z =>
          z
            .array(z.string())
            .describe(
              'For each client, every member it can reach and how, as istiod tells its sidecar',
            ),
        requests: z =>
          z
            .array(z.string())
            .describe('For each client, which members answered its requests'),
      },
    },
    async handler(ctx) {
      await withMeshRun(
        deps,
        ctx,
        { meshAdmin: true },
        async ({ env, log, dryRun, holder }) => {
          const result = await verifyCrossClusterTraffic(
            env,
            {
              meshId: ctx.input.meshId,
              namespace: ctx.input.namespace,
              revision: ctx.input.revision,
              images: {
                helloworld: ctx.input.helloworldImage,
                curl: ctx.input.curlImage,
              },
              keepProbe: ctx.input.keepProbe,
              requests: ctx.input.requests,
              dryRun,
              run: holder,
            },
            log,
          );
          const requests = result.requests.map(
            r => `${r.pod} in ${r.cluster}: ${r.state}, ${r.detail}`,
          );
          ctx.output('ok', result.ok);
          ctx.output(
            'routes',
            dryRun ? [] : formatRouteProof(result.routeProof),
          );
          ctx.output('requests', requests);
          if (!result.ok) {
            const wrong = result.routeProof.clients.flatMap(c =>
              c.error
                ? [`${c.proxy} in ${c.cluster}: ${c.error}`]
                : c.routes
                    .filter(r => !r.ok)
                    .map(
                      r =>
                        `${c.cluster} -> ${r.cluster}: ${r.problem}; fix: ${r.fix}`,
                    ),
            );
            const silent = result.requests
              .filter(r => r.state === 'failed')
              .map(r => `${r.cluster}: ${r.detail}`);
            throw new Error(
              `cross-cluster traffic in mesh ${ctx.input.meshId} failed: ${[
                ...wrong,
                ...silent,
              ].join('; ')}`,
            );
          }
        },
      );
    },
  });
}
