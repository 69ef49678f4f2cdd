import { CoreV1Api } from '@kubernetes/client-node';
import {
  ClusterMembership,
  EndpointRoute,
  EntityEndpointsResponse,
  EntityWorkloadQuery,
  ServiceEndpoints,
} from '@istio-mesh/plugin-istio-mesh-common';
import { KUBERNETES_NAMESPACE_ANNOTATION } from '@istio-mesh/plugin-istio-mesh-common';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import { MeshCluster } from '../clusters/meshCluster';
import { describeKubeError } from '../mesh/errors';
import { labelSelectorProblem } from '../mesh/labelSelector';
import { dnsLabelProblem, LABEL_VALUE } from '../mesh/validateNames';
import {
  DEFAULT_CLUSTER_TIMEOUT_SECONDS,
  withinDeadline,
} from './clusterDeadline';
import { CROSS_NETWORK_PORT } from '../mesh/names';
import { istiodCrossChecks } from './istiodCrossCheck';
import { serviceRoutesTold } from './serviceRoutesTold';
import {
  EndpointCounts,
  serviceEndpointCounts,
} from '../traffic/endpointCounts';

/**
 * The most Services of one cluster an answer carries.
 *
 * @public
 */
export const MAX_SERVICES_PER_CLUSTER = 100;

/** The kubernetes plugin's rule: a label selector if given, else the kubernetes-id label. */
function selectorOf(query: EntityWorkloadQuery): string {
  if (query.labelSelector) return query.labelSelector;
  if (query.kubernetesId)
    return `${KUBERNETES_ANNOTATION}=${query.kubernetesId}`;
  throw new Error(
    `the entity has neither ${KUBERNETES_ANNOTATION} nor ${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION}`,
  );
}

/**
 * What is wrong with an entity's workload query, for a 400: the namespace is required
 * (without it, a selector would list Services in every namespace of every cluster with
 * the portal's credentials), and each part must be what Kubernetes takes.
 *
 * @public
 */
export function entityQueryProblems(query: EntityWorkloadQuery): string[] {
  const problems: string[] = [];
  if (!query.namespace) {
    problems.push(
      `namespace is required: annotate the entity with ${KUBERNETES_NAMESPACE_ANNOTATION}`,
    );
  } else {
    const problem = dnsLabelProblem('namespace', query.namespace);
    if (problem) problems.push(problem);
  }
  if (!query.kubernetesId && !query.labelSelector) {
    problems.push(
      `give kubernetesId or labelSelector: the entity needs the ${KUBERNETES_ANNOTATION} or ${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION} annotation`,
    );
  }
  if (query.kubernetesId && !LABEL_VALUE.test(query.kubernetesId)) {
    problems.push(
      `kubernetesId ${JSON.stringify(query.kubernetesId)} is not a label value`,
    );
  }
  if (query.labelSelector) {
    const problem = labelSelectorProblem(query.labelSelector);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * How callers in each network reach a cluster's endpoints of one Service, by istiod's
 * rules for sidecars (docs/istio-procedure.md §6): directly on the same network; from
 * any other only through the endpoints' network gateway on 15443, and only the
 * endpoints whose pod has a sidecar, since the gateway routes by the SNI of the mTLS
 * connection (Istio's pilot/pkg/xds/endpoints/ep_filters.go). Those without are left
 * out, and the route says so.
 */
function routesTo(
  home: ClusterMembership,
  networks: Map<string, ClusterMembership>,
  counts: EndpointCounts,
): { routes: EndpointRoute[]; problems: string[] } {
  const problems: string[] = [];
  const routes = [...networks.keys()]
    .sort()
    .map((fromNetwork): EndpointRoute => {
      if (fromNetwork === home.network)
        return { fromNetwork, via: 'direct', endpoints: counts.ready };
      const uninjected = counts.ready - counts.mtls;
      const leftOut = uninjected
        ? {
            count: uninjected,
            reason: `${uninjected} of ${counts.ready} ready endpoint(s) have no sidecar, so no mTLS for the gateway's SNI routing: istiod sends them to no other network`,
            fix: `label the namespace for injection (istio-injection=enabled or istio.io/rev) and restart the workload`,
          }
        : undefined;
      const address = home.gateway?.address;
      if (!address) {
        problems.push(
          `callers in ${fromNetwork} get pod IPs: ${home.cluster} has no east-west gateway address`,
        );
        return {
          fromNetwork,
          via: 'unreachable (no gateway address)',
          endpoints: 0,
        };
      }
      if (counts.ready > 0 && counts.mtls === 0) {
        return {
          fromNetwork,
          via: 'left out: not injected',
          endpoints: 0,
          leftOut,
        };
      }
      return {
        fromNetwork,
        via: `${address}:${CROSS_NETWORK_PORT}`,
        endpoints: counts.mtls,
        ...(leftOut ? { leftOut } : {}),
      };
    });
  return { routes, problems };
}

async function clusterEndpoints(
  cluster: MeshCluster,
  query: EntityWorkloadQuery,
  mesh: {
    membership: ClusterMembership;
    /** The members by network, for the routes from each. */
    networks: Map<string, ClusterMembership>;
    /** Told when more Services match than one answer carries. */
    truncated: (shown: number) => void;
  },
): Promise<ServiceEndpoints[]> {
  const { membership, networks } = mesh;
  const kc = cluster.kubeConfig();
  const services = await kc.makeApiClient(CoreV1Api).listNamespacedService({
    namespace: query.namespace!,
    labelSelector: selectorOf(query),
    limit: MAX_SERVICES_PER_CLUSTER,
  });
  if (services.metadata?._continue) mesh.truncated(services.items.length);
  if (services.items.length === 0) return [];
  const byNamespace = new Map<string, string[]>();
  for (const svc of services.items) {
    const ns = svc.metadata!.namespace!;
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), svc.metadata!.name!]);
  }
  const counts = new Map<string, EndpointCounts>();
  for (const [ns, names] of byNamespace) {
    for (const [name, count] of await serviceEndpointCounts(cluster, ns, names))
      counts.set(`${ns}/${name}`, count);
  }
  return services.items.map(svc => {
    const ns = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const count = counts.get(`${ns}/${name}`)!;
    // Outside a mesh no other cluster's istiod sees these endpoints: no routes to draw.
    const { routes, problems } = membership.meshId
      ? routesTo(membership, networks, count)
      : {
          routes: [],
          problems: [
            `${cluster.name} is not in a mesh: other clusters cannot reach these endpoints`,
          ],
        };
    return {
      cluster: cluster.name,
      namespace: ns,
      service: name,
      port: svc.spec?.ports?.[0]?.port,
      network: membership.network,
      ready: count.ready,
      total: count.total,
      mtls: count.mtls,
      routes,
      problems,
    };
  });
}

/**
 * An entity's Services in every cluster, two LISTs per cluster (Services, then
 * EndpointSlices), in parallel, then each member istiod's own view of them. A cluster
 * that cannot be read is listed as such and the rest of the answer stands.
 *
 * @public
 */
export async function entityEndpoints(
  clusters: MeshCluster[],
  memberships: ClusterMembership[],
  query: EntityWorkloadQuery,
  options: { clusterTimeoutSeconds?: number } = {},
): Promise<EntityEndpointsResponse> {
  const problems = entityQueryProblems(query);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const seconds =
    options.clusterTimeoutSeconds ?? DEFAULT_CLUSTER_TIMEOUT_SECONDS;
  const networks = new Map<string, ClusterMembership>();
  for (const m of memberships) if (m.network) networks.set(m.network, m);
  const unreachable: EntityEndpointsResponse['unreachable'] = [];
  const truncated: NonNullable<EntityEndpointsResponse['truncated']> = [];
  const down = (cluster: MeshCluster, error: string): ServiceEndpoints[] => {
    unreachable.push({ cluster: cluster.name, error });
    return [];
  };
  const results = await Promise.all(
    clusters.map(async cluster => {
      const membership = memberships.find(m => m.cluster === cluster.name);
      if (!membership?.reachable) {
        return down(cluster, membership?.error ?? 'not read');
      }
      return withinDeadline(
        cluster,
        seconds,
        bounded =>
          clusterEndpoints(bounded, query, {
            membership,
            networks,
            truncated: shown =>
              truncated.push({ cluster: cluster.name, shown }),
          }).catch(e => down(cluster, describeKubeError(e))),
        error => down(cluster, error),
      );
    }),
  );
  const endpoints = results.flat();
  const [crossChecks, routesTold] = await Promise.all([
    istiodCrossChecks(clusters, memberships, endpoints),
    serviceRoutesTold(clusters, memberships, endpoints),
  ]);
  return {
    endpoints,
    istiodCrossChecks: crossChecks,
    routesTold,
    unreachable,
    ...(truncated.length ? { truncated } : {}),
  };
}
