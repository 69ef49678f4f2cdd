import { MeshCluster } from '../clusters/meshCluster';
import {
  IstiodPod,
  readyIstiodPods,
  withIstiodPortForward,
} from './portForward';

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

/** istiod answered, with an error status: 404 from edsz means no such proxy is connected. */
export class IstiodDebugError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** istiod's monitoring port, where istioctl reads /debug through a port-forward. */
export const ISTIOD_MONITORING_PORT = 15014;

type DebugPath =
  | '/debug/clusterz'
  | '/debug/networkz'
  | '/debug/endpointShardz'
  | `/debug/syncz?namespace=${string}`
  | `/debug/edsz?proxyID=${string}`;

/** Reads one of istiod's debug endpoints, as JSON. */
export type IstiodDebugReader = <T>(path: DebugPath) => Promise<T>;

/**
 * Where to send a debug request, and how: credentials written into an istiodDebugUrl
 * (user:password@) go in an Authorization header, never in the URL, so no message or
 * answer built from the URL can carry them.
 */
export function debugRequest(
  base: string,
  path: DebugPath,
): { url: string; headers: Record<string, string> } {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(
      `${user}:${password}`,
    ).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url: url.toString(), headers };
}

async function readJson<T>(
  cluster: MeshCluster,
  base: string,
  path: DebugPath,
): Promise<T> {
  const { url, headers } = debugRequest(base, path);
  let response: Response;
  try {
    // A redirect is not followed: it could send the credentials, or the backend's
    // reads, anywhere the answering server likes.
    response = await fetch(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new Error(
      `istiod of cluster ${cluster.name} did not answer ${path}: ${
        (e as Error).message
      }`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    throw new IstiodDebugError(
      `istiod of cluster ${cluster.name} answered ${path} with a redirect (HTTP ${response.status}), which the portal does not follow: set istioMesh.clusters[].istiodDebugUrl to where istiod answers`,
      response.status,
    );
  }
  if (!response.ok) {
    throw new IstiodDebugError(
      `istiod of cluster ${cluster.name} answered ${path} with HTTP ${response.status}`,
      response.status,
    );
  }
  // networkz answers "null" when istiod knows no gateway.
  return ((await response.json()) ?? []) as T;
}

/** The ready istiod pods, or an error that says istiod did not answer. */
async function podsToAsk(cluster: MeshCluster): Promise<IstiodPod[]> {
  try {
    return await readyIstiodPods(cluster);
  } catch (e) {
    throw new Error(
      `istiod of cluster ${cluster.name} did not answer: ${
        (e as Error).message
      }`,
    );
  }
}

/** Runs fn with a reader of one istiod pod's debug endpoints, through a port-forward. */
function throughPortForward<T>(
  cluster: MeshCluster,
  pod: IstiodPod,
  fn: (read: IstiodDebugReader, pod?: IstiodPod) => Promise<T>,
): Promise<T> {
  return withIstiodPortForward(
    cluster,
    { pod, port: ISTIOD_MONITORING_PORT },
    ({ host, port }) =>
      fn(path => readJson(cluster, `http://${host}:${port}`, path), pod),
  );
}

/**
 * Runs fn with a reader of istiod's debug endpoints. They are reached through the API
 * server's port-forward to a ready istiod pod's monitoring port, the path every real
 * cluster offers; `istioMesh.clusters[].istiodDebugUrl`, when set, overrides it with
 * an address the backend reaches istiod at directly.
 */
export async function withIstiodDebug<T>(
  cluster: MeshCluster,
  fn: (read: IstiodDebugReader, pod?: IstiodPod) => Promise<T>,
): Promise<T> {
  if (cluster.istiodDebugUrl) {
    const base = cluster.istiodDebugUrl;
    return fn(path => readJson(cluster, base, path));
  }
  const [pod] = await podsToAsk(cluster);
  return throughPortForward(cluster, pod, fn);
}

/**
 * Runs fn against each ready istiod pod in turn, as withIstiodDebug reaches one, until
 * one gives an answer: what a proxy is told lives only in the istiod replica it is
 * connected to. Undefined when no replica has one.
 */
export async function withEachIstiodDebug<T>(
  cluster: MeshCluster,
  fn: (read: IstiodDebugReader) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (cluster.istiodDebugUrl) {
    const base = cluster.istiodDebugUrl;
    return fn(path => readJson(cluster, base, path));
  }
  for (const pod of await podsToAsk(cluster)) {
    const answer = await throughPortForward(cluster, pod, fn);
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/** Reads one debug endpoint; see withIstiodDebug. */
export function readIstiodDebug<T>(
  cluster: MeshCluster,
  path: DebugPath,
): Promise<T> {
  return withIstiodDebug(cluster, read => read<T>(path));
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
