import {
  ClusterMembership,
  ServiceEndpoints,
  ServiceRoutesTold,
} from '@istio-mesh/plugin-istio-mesh-common';
import { MeshCluster } from '../clusters/meshCluster';
import { EndpointCounts } from '../traffic/endpointCounts';
import { RouteMember, routesToldInNamespace } from '../traffic/routesTold';

/**
 * For every member with istiod and every Service of the entity, what a connected
 * sidecar in the Service's namespace is told, beside our own endpoint counts: the
 * Component Mesh tab's route panel. One port-forward session per member and namespace.
 */
export async function serviceRoutesTold(
  clusters: MeshCluster[],
  memberships: ClusterMembership[],
  endpoints: ServiceEndpoints[],
): Promise<ServiceRoutesTold[]> {
  const services = new Map<
    string,
    { namespace: string; name: string; port: number }
  >();
  for (const e of endpoints) {
    if (e.port)
      services.set(`${e.namespace}/${e.service}`, {
        namespace: e.namespace,
        name: e.service,
        port: e.port,
      });
  }
  const namespaces = [...new Set([...services.values()].map(s => s.namespace))];
  const routeMember = (m: ClusterMembership): RouteMember | undefined => {
    const cluster = clusters.find(c => c.name === m.cluster);
    return cluster && { cluster, membership: m };
  };
  const clients = memberships.filter(
    m => m.reachable && m.meshId && (m.istiod?.replicas ?? 0) > 0,
  );
  const results = await Promise.all(
    clients.flatMap(client => {
      const members = memberships
        .filter(m => m.reachable && m.meshId === client.meshId)
        .map(routeMember)
        .filter((m): m is RouteMember => !!m);
      const self = routeMember(client);
      if (!self) return [];
      return namespaces.map(namespace => {
        const inNamespace = [...services.values()].filter(
          s => s.namespace === namespace,
        );
        const counts = new Map(
          inNamespace.map(s => [
            s.name,
            new Map<string, EndpointCounts>(
              endpoints
                .filter(e => e.namespace === namespace && e.service === s.name)
                .map(e => [
                  e.cluster,
                  { ready: e.ready, total: e.total, mtls: e.mtls },
                ]),
            ),
          ]),
        );
        return routesToldInNamespace({
          client: self,
          namespace,
          services: inNamespace.map(s => ({
            name: s.name,
            port: s.port,
            local: endpoints.some(
              e =>
                e.cluster === client.cluster &&
                e.namespace === namespace &&
                e.service === s.name,
            ),
          })),
          members,
          counts,
        });
      });
    }),
  );
  return results.flat();
}
