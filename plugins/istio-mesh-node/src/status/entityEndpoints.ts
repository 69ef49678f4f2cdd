import { CoreV1Api } from '@kubernetes/client-node';
import {
  ClusterMembership,
  EndpointRoute,
  EntityEndpointsResponse,
  EntityWorkloadQuery,
  ServiceEndpoints,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import { MeshCluster } from '../clusters/meshCluster';
import { describeKubeError } from '../mesh/errors';
import { CROSS_NETWORK_PORT } from '../mesh/names';
import { istiodCrossChecks } from './istiodCrossCheck';
import { serviceRoutesTold } from './serviceRoutesTold';
import {
  EndpointCounts,
  serviceEndpointCounts,
} from '../traffic/endpointCounts';

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
  },
): Promise<ServiceEndpoints[]> {
  const { membership, networks } = mesh;
  const kc = cluster.kubeConfig();
  const selector = selectorOf(query);
  const services = query.namespace
    ? await kc.makeApiClient(CoreV1Api).listNamespacedService({
        namespace: query.namespace,
        labelSelector: selector,
      })
    : await kc
        .makeApiClient(CoreV1Api)
        .listServiceForAllNamespaces({ labelSelector: selector });
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
): Promise<EntityEndpointsResponse> {
  selectorOf(query);
  const networks = new Map<string, ClusterMembership>();
  for (const m of memberships) if (m.network) networks.set(m.network, m);
  const unreachable: EntityEndpointsResponse['unreachable'] = [];
  const results = await Promise.all(
    clusters.map(async cluster => {
      const membership = memberships.find(m => m.cluster === cluster.name);
      if (!membership?.reachable) {
        unreachable.push({
          cluster: cluster.name,
          error: membership?.error ?? 'not read',
        });
        return [];
      }
      try {
        return await clusterEndpoints(cluster, query, {
          membership,
          networks,
        });
      } catch (e) {
        unreachable.push({
          cluster: cluster.name,
          error: describeKubeError(e),
        });
        return [];
      }
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
  };
}
