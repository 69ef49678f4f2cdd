/**
 * How a sidecar is told to reach one member cluster's endpoints of a service: what
 * istiod sent that sidecar's proxy, against what the cluster holds.
 *
 * @public
 */
export interface ToldRoute {
  /** The cluster whose endpoints these are, by its portal name. */
  cluster: string;
  /** Istio's name for it, which istiod writes into each endpoint's metadata. */
  clusterName: string;
  network?: string;
  /** How the sidecar is told to reach them; "none" when it is told nothing. */
  via: 'direct' | 'gateway' | 'none';
  /** Pod addresses (direct) or gateway address:port, as istiod sent them. */
  addresses: string[];
  /** The endpoints the route stands for: one per pod address, or gateway weight over one endpoint's weight. */
  endpoints: number;
  /** The endpoints it should stand for: ready ones on the same network, ready injected ones from another. */
  expected: number;
  ok: boolean;
  problem?: string;
  fix?: string;
  /** Endpoints istiod rightly leaves out of this route, and why. */
  leftOut?: { count: number; reason: string; fix: string };
}

/**
 * How a route reads in the log and on the Mesh tab: "direct to" the pod addresses,
 * "through gateway" its address, or "told nothing".
 *
 * @public
 */
export function describeToldRoute(route: ToldRoute): string {
  if (route.via === 'none') return 'told nothing';
  const how = route.via === 'direct' ? 'direct to' : 'through gateway';
  return `${how} ${route.addresses.join(', ')}`;
}

/**
 * What istiod tells one connected proxy about a service, judged route by route.
 *
 * @public
 */
export interface ProxyRoutes {
  /** The cluster the proxy runs in. */
  cluster: string;
  /** The proxy as istiod names it: pod.namespace. */
  proxy: string;
  network?: string;
  routes: ToldRoute[];
  ok: boolean;
  /** Why nothing could be read, when nothing could. */
  error?: string;
}

/**
 * The route proof: for every client proxy, what istiod tells it about one service.
 *
 * @public
 */
export interface RouteProof {
  /** The outbound service, host:port. */
  service: string;
  clients: ProxyRoutes[];
  ok: boolean;
}

/**
 * Real requests from one client: which member's version answered how often.
 *
 * @public
 */
export interface TrafficRequests {
  cluster: string;
  pod: string;
  state: 'passed' | 'failed' | 'not-run';
  attempts: number;
  /** Answers per member cluster, by the version each answer names. */
  answeredBy: Record<string, number>;
  failures: number;
  detail: string;
}

/**
 * The outcome of the cross-cluster traffic check.
 *
 * @public
 */
export interface TrafficVerification {
  meshId: string;
  namespace: string;
  routeProof: RouteProof;
  requests: TrafficRequests[];
  ok: boolean;
  /** Whether the probe was left in place (the run's keepProbe). */
  probeKept: boolean;
}

/**
 * What a sidecar in one cluster's namespace is told about one of an entity's
 * Services: istiod's config for one connected proxy there.
 *
 * @public
 */
export interface ServiceRoutesTold {
  cluster: string;
  namespace: string;
  service: string;
  port: number;
  /** The proxy whose config this is; absent when no proxy in the namespace is connected. */
  proxy?: string;
  routes: ToldRoute[];
  state: 'agrees' | 'disagrees' | 'no-proxy' | 'unreachable';
  detail: string;
}
