import { MeshCluster } from '../clusters/meshCluster';

/** One entry of istiod's /debug/clusterz: a cluster whose registry istiod reads. */
export interface IstiodRemoteCluster {
  id: string;
  /** The remote secret it came from; empty for istiod's own cluster. */
  secretName: string;
  /** "synced", "syncing", "timeout" or "closed". */
  syncStatus: string;
}

/** One entry of /debug/networkz: a gateway istiod routes another network's traffic through. */
export interface IstiodNetworkGateway {
  Network: string;
  Cluster: string;
  Addr: string;
  Port: number;
}

/** /debug/endpointShardz: hostname, then namespace, then endpoints per shard ("Kubernetes/<cluster>"). */
export type IstiodEndpointShards = Record<
  string,
  Record<string, { Shards: Record<string, unknown[] | null> }>
>;

const TIMEOUT_MS = 5000;

/**
 * Reads one of istiod's debug endpoints at the cluster's configured istiodDebugUrl.
 * istiod answers only local callers without credentials, and the API server's pod
 * proxy is not local to it, so the URL is an address the backend reaches istiod at:
 * a port-forward, or the local istiod of a test cluster.
 */
export async function readIstiodDebug<T>(
  cluster: MeshCluster,
  path: '/debug/clusterz' | '/debug/networkz' | '/debug/endpointShardz',
): Promise<T> {
  if (!cluster.istiodDebugUrl) {
    throw new Error(
      `cluster ${cluster.name} has no istioMesh.clusters[].istiodDebugUrl`,
    );
  }
  const url = `${cluster.istiodDebugUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new Error(
      `istiod of cluster ${cluster.name} did not answer ${url}: ${
        (e as Error).message
      }`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `istiod of cluster ${cluster.name} answered ${url} with HTTP ${response.status}`,
    );
  }
  // networkz answers "null" when istiod knows no gateway.
  return ((await response.json()) ?? []) as T;
}

/** The number of endpoints istiod holds for a Service, per shard. */
export function shardCounts(
  shards: IstiodEndpointShards,
  namespace: string,
  service: string,
): Record<string, number> {
  const prefix = `${service}.${namespace}.svc.`;
  const counts: Record<string, number> = {};
  for (const [hostname, byNamespace] of Object.entries(shards)) {
    if (!hostname.startsWith(prefix)) continue;
    for (const [shard, endpoints] of Object.entries(
      byNamespace[namespace]?.Shards ?? {},
    )) {
      counts[shard] = (counts[shard] ?? 0) + (endpoints?.length ?? 0);
    }
  }
  return counts;
}
