import { CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import {
  ClusterMembership,
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
 * How callers in each network reach a cluster's endpoints, as istiod programs it
 * (docs/istio-procedure.md §6): directly on the same network, through the endpoints'
 * network gateway on 15443 from any other.
 */
function routesTo(
  home: ClusterMembership,
  networks: Map<string, ClusterMembership>,
): { routes: ServiceEndpoints['routes']; problems: string[] } {
  const problems: string[] = [];
  const routes = [...networks.keys()].sort().map(fromNetwork => {
    if (fromNetwork === home.network) return { fromNetwork, via: 'direct' };
    const address = home.gateway?.address;
    if (!address) {
      problems.push(
        `callers in ${fromNetwork} get pod IPs: ${home.cluster} has no east-west gateway address`,
      );
      return { fromNetwork, via: 'unreachable (no gateway address)' };
    }
    return { fromNetwork, via: `${address}:${CROSS_NETWORK_PORT}` };
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
  const slices = query.namespace
    ? await kc
        .makeApiClient(DiscoveryV1Api)
        .listNamespacedEndpointSlice({ namespace: query.namespace })
    : await kc
        .makeApiClient(DiscoveryV1Api)
        .listEndpointSliceForAllNamespaces();
  // Outside a mesh no other cluster's istiod sees these endpoints: no routes to draw.
  const { routes, problems } = membership.meshId
    ? routesTo(membership, networks)
    : {
        routes: [],
        problems: [
          `${cluster.name} is not in a mesh: other clusters cannot reach these endpoints`,
        ],
      };
  return services.items.map(svc => {
    const ns = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const endpoints = slices.items
      .filter(
        s =>
          s.metadata?.namespace === ns &&
          s.metadata?.labels?.['kubernetes.io/service-name'] === name,
      )
      .flatMap(s => s.endpoints ?? []);
    return {
      cluster: cluster.name,
      namespace: ns,
      service: name,
      network: membership.network,
      ready: endpoints.filter(e => e.conditions?.ready !== false).length,
      total: endpoints.length,
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
  return {
    endpoints,
    istiodCrossChecks: await istiodCrossChecks(
      clusters,
      memberships,
      endpoints,
    ),
    unreachable,
  };
}
