import {
  ClusterMembership,
  IstiodEndpointsCrossCheck,
  ServiceEndpoints,
} from '@istio-mesh/plugin-istio-mesh-common';
import { MeshCluster } from '../clusters/meshCluster';
import {
  IstiodEndpointShards,
  readIstiodDebug,
  shardCounts,
} from '../istiod/debugEndpoints';

/** istiod's name for a Kubernetes registry shard. */
const shardOf = (clusterName: string) => `Kubernetes/${clusterName}`;

/**
 * What each member's istiod should hold for a Service: every endpoint of it in every
 * cluster of its mesh, one shard per cluster, as our EndpointSlice reads counted them.
 */
function expectedShards(
  of: { meshId: string; namespace: string; service: string },
  endpoints: ServiceEndpoints[],
  memberships: ClusterMembership[],
): Record<string, number> {
  const { meshId, namespace, service } = of;
  const ours: Record<string, number> = {};
  for (const e of endpoints) {
    if (e.namespace !== namespace || e.service !== service) continue;
    const m = memberships.find(x => x.cluster === e.cluster);
    if (m?.meshId !== meshId) continue;
    const shard = shardOf(m.clusterName ?? m.cluster);
    ours[shard] = (ours[shard] ?? 0) + e.total;
  }
  return ours;
}

function differences(
  istiod: Record<string, number>,
  ours: Record<string, number>,
): string[] {
  const shards = [...new Set([...Object.keys(istiod), ...Object.keys(ours)])];
  return shards
    .sort()
    .filter(s => (istiod[s] ?? 0) !== (ours[s] ?? 0))
    .map(s => `${s}: istiod ${istiod[s] ?? 0}, ours ${ours[s] ?? 0}`);
}

/**
 * Asks each member's istiod (/debug/endpointShardz) which endpoints it holds for the
 * entity's Services, and compares them with our own count: where they differ, a remote
 * secret, network or registry problem is hiding from our reads. One request per istiod.
 */
export async function istiodCrossChecks(
  clusters: MeshCluster[],
  memberships: ClusterMembership[],
  endpoints: ServiceEndpoints[],
): Promise<IstiodEndpointsCrossCheck[]> {
  const services = [
    ...new Map(
      endpoints.map(e => [`${e.namespace}/${e.service}`, e] as const),
    ).values(),
  ];
  if (services.length === 0) return [];
  const asked = clusters.filter(c => {
    const m = memberships.find(x => x.cluster === c.name);
    return m?.meshId && m.istiod;
  });
  const perCluster = await Promise.all(
    asked.map(async cluster => {
      const membership = memberships.find(x => x.cluster === cluster.name)!;
      let shards: IstiodEndpointShards | undefined;
      let error = '';
      try {
        shards = await readIstiodDebug<IstiodEndpointShards>(
          cluster,
          '/debug/endpointShardz',
        );
      } catch (e) {
        error = (e as Error).message;
      }
      return services.map(({ namespace, service }) => {
        const ours = expectedShards(
          { meshId: membership.meshId!, namespace, service },
          endpoints,
          memberships,
        );
        if (!shards) {
          return {
            cluster: cluster.name,
            namespace,
            service,
            state: 'unreachable' as const,
            istiod: {},
            ours,
            detail: error,
          };
        }
        const istiod = shardCounts(shards, namespace, service);
        const diff = differences(istiod, ours);
        return {
          cluster: cluster.name,
          namespace,
          service,
          state: diff.length ? ('disagrees' as const) : ('agrees' as const),
          istiod,
          ours,
          detail: diff.length
            ? diff.join('; ')
            : `istiod holds the same ${Object.values(ours).reduce(
                (a, b) => a + b,
                0,
              )} endpoints in ${Object.keys(ours).length} shards`,
        };
      });
    }),
  );
  return perCluster.flat();
}
