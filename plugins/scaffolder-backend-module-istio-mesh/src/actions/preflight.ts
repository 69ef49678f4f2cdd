import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterNameOf,
  istioVersionFor,
  planJoin,
} from '@istio-mesh/plugin-istio-mesh-node';
import { networkFromResource, RESOURCE_NETWORK_KEY } from './resourceNetwork';
import { preflightExamples } from './preflight.examples';
import { meshInputs } from './inputs';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';

export function createPreflightAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:mesh:preflight',
    description:
      "Checks that a cluster can join the mesh (reachable, valid and unique names, same meshID as the members, members reachable, Istio within one minor of every member's, a network of its own, one trust domain, an L4 load balancer for the east-west gateway, root CA can sign, chart version available, helm works) and reports what the join will do. Changes nothing.",
    supportsDryRun: true,
    examples: preflightExamples,
    schema: {
      input: {
        cluster: meshInputs.cluster,
        clusterName: meshInputs.clusterName,
        meshId: meshInputs.meshId,
        network: z =>
          z
            .string()
            .optional()
            .describe(
              `global.network and the east-west gateway network; defaults to the ${RESOURCE_NETWORK_KEY} label or annotation of the cluster's catalog Resource, else network-<cluster>`,
            ),
        clusterEntityRef: z =>
          z
            .string()
            .optional()
            .describe(
              "The cluster's catalog Resource, as the EntityPicker gives it; defaults to resource:default/<cluster>",
            ),
        sharedNetwork: z =>
          z
            .boolean()
            .optional()
            .describe(
              "The network is shared on purpose with the members on it: this cluster's pods and theirs reach each other directly. Otherwise a member's network is refused",
            ),
        istioVersion: meshInputs.istioVersion,
        dryRun: meshInputs.dryRun,
      },
      output: {
        network: z =>
          z
            .string()
            .describe('The network the cluster joins, defaults applied'),
        clusterName: z =>
          z
            .string()
            .describe("istiod's clusterName for the cluster, defaults applied"),
        istioVersion: z =>
          z.string().describe('The Istio chart version the join installs'),
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
        // Part of every join: it proves the root can sign, and reads every member.
        { meshAdmin: true },
        async ({ env, log, dryRun }) => {
          // The one place the template's defaults are applied: later steps take
          // these outputs.
          const request = {
            ...ctx.input,
            network:
              ctx.input.network ||
              (await networkFromResource({
                catalog: deps.catalog,
                credentials: () => ctx.getInitiatorCredentials(),
                cluster: ctx.input.cluster,
                clusterEntityRef: ctx.input.clusterEntityRef,
                log,
              })),
            istioVersion: istioVersionFor(env, ctx.input.istioVersion),
            dryRun,
          };
          const plan = await planJoin(env, request, log);
          ctx.output('network', request.network);
          ctx.output('clusterName', clusterNameOf(request));
          ctx.output('istioVersion', request.istioVersion);
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
