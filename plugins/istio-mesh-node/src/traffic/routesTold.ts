import {
  ClusterMembership,
  ProxyRoutes,
  ServiceRoutesTold,
} from '@istio-mesh/plugin-istio-mesh-common';
import { MeshCluster } from '../clusters/meshCluster';
import {
  IstiodDebugError,
  IstiodDebugReader,
  IstiodRemoteCluster,
  withEachIstiodDebug,
} from '../istiod/debugEndpoints';
import { assignedEndpoints, outboundCluster } from './assignedEndpoints';
import { EndpointCounts } from './endpointCounts';
import { judgeRoutes } from './judgeRoutes';

/** A mesh member as the route judgement needs it: its cluster and what it says of itself. */
export interface RouteMember {
  cluster: MeshCluster;
  membership: ClusterMembership;
}

/** Judges the endpoints of host:port in one proxy's EDS dump against every member. */
function toldRoutes(
  client: RouteMember,
  dump: unknown,
  clusterz: IstiodRemoteCluster[],
  service: { host: string; port: number },
  members: RouteMember[],
  counts: Map<string, EndpointCounts>,
) {
  const told =
    assignedEndpoints(dump, outboundCluster(service.host, service.port)) ?? [];
  const synced = new Set(
    clusterz.filter(c => c.syncStatus === 'synced').map(c => c.id),
  );
  return judgeRoutes(
    { cluster: client.cluster.name, network: client.membership.network },
    told,
    members.map(m => {
      const clusterName = m.membership.clusterName ?? m.cluster.name;
      const count = counts.get(m.cluster.name);
      return {
        cluster: m.cluster.name,
        clusterName,
        network: m.membership.network,
        gatewayAddress: m.membership.gateway?.address,
        ready: count?.ready ?? 0,
        mtls: count?.mtls ?? 0,
        readByIstiod:
          m.cluster.name === client.cluster.name || synced.has(clusterName),
      };
    }),
  );
}

/** The proxy's EDS dump, or undefined when it is not connected to this istiod replica. */
async function readEds(
  read: IstiodDebugReader,
  proxy: string,
): Promise<unknown | undefined> {
  try {
    return await read(`/debug/edsz?proxyID=${encodeURIComponent(proxy)}`);
  } catch (e) {
    if (e instanceof IstiodDebugError && e.status === 404) return undefined;
    throw e;
  }
}

/**
 * What a member's istiod tells one of its connected proxies about `host:port`: the
 * outbound cluster's endpoints as istiod computed them for that proxy, read from
 * /debug/edsz?proxyID= (the narrowest debug endpoint that has them) through a
 * port-forward to each ready istiod replica until the one the proxy is connected to
 * answers, judged against each member's endpoint counts. istiod's /debug/clusterz,
 * read in the same session, says which members it reads at all.
 */
export async function routesToldToProxy(request: {
  client: RouteMember;
  /** The proxy as istiod names it: pod.namespace. */
  proxy: string;
  host: string;
  port: number;
  members: RouteMember[];
  /** The service's endpoint counts per member, by portal cluster name. */
  counts: Map<string, EndpointCounts>;
}): Promise<ProxyRoutes> {
  const { client, proxy, members, counts } = request;
  const base = {
    cluster: client.cluster.name,
    proxy,
    network: client.membership.network,
  };
  try {
    const answer = await withEachIstiodDebug(client.cluster, async read => {
      const dump = await readEds(read, proxy);
      if (dump === undefined) return undefined;
      const clusterz = await read<IstiodRemoteCluster[]>('/debug/clusterz');
      const routes = toldRoutes(
        client,
        dump,
        clusterz,
        request,
        members,
        counts,
      );
      return { ...base, routes, ok: routes.every(r => r.ok) };
    });
    if (answer) return answer;
    throw new Error(
      `proxy ${proxy} is not connected to any ready istiod in ${client.cluster.name}: its sidecar has not started yet`,
    );
  } catch (e) {
    return { ...base, routes: [], ok: false, error: (e as Error).message };
  }
}

interface SynczEntry {
  proxy?: string;
  proxy_type?: string;
}

/**
 * What sidecars in one member's namespace are told about each of some Services: istiod's
 * config for one connected sidecar there (/debug/syncz?namespace= names them), read in
 * one port-forward session to the first istiod replica that has one, judged route by
 * route. A Service the member does not hold
 * itself is reached by name only when the sidecar captures DNS, which the finding says.
 */
export async function routesToldInNamespace(request: {
  client: RouteMember;
  namespace: string;
  services: { name: string; port: number; local: boolean }[];
  members: RouteMember[];
  /** Endpoint counts per Service name, then per member. */
  counts: Map<string, Map<string, EndpointCounts>>;
}): Promise<ServiceRoutesTold[]> {
  const { client, namespace, services, members, counts } = request;
  const row = (s: { name: string; port: number }) => ({
    cluster: client.cluster.name,
    namespace,
    service: s.name,
    port: s.port,
  });
  try {
    const told = await withEachIstiodDebug(client.cluster, async read => {
      const syncz = await read<SynczEntry[]>(
        `/debug/syncz?namespace=${encodeURIComponent(namespace)}`,
      );
      const proxy = syncz.find(
        p => (p.proxy_type ?? 'sidecar') === 'sidecar',
      )?.proxy;
      // Each replica knows only the proxies connected to it: try the next.
      if (!proxy) return undefined;
      const dump = await readEds(read, proxy);
      if (dump === undefined) return undefined;
      const clusterz = await read<IstiodRemoteCluster[]>('/debug/clusterz');
      return services.map(s => {
        const routes = toldRoutes(
          client,
          dump,
          clusterz,
          { host: `${s.name}.${namespace}.svc.cluster.local`, port: s.port },
          members,
          counts.get(s.name) ?? new Map(),
        );
        const wrong = routes.filter(r => !r.ok);
        const dns = s.local
          ? ''
          : `; ${client.cluster.name} has no Service ${namespace}/${s.name}, so the name resolves only where the sidecar captures DNS (ISTIO_META_DNS_CAPTURE), or with a local Service of that name`;
        return {
          ...row(s),
          proxy,
          routes,
          state: wrong.length ? ('disagrees' as const) : ('agrees' as const),
          detail: `${
            wrong.length
              ? `${wrong.length} route(s) not as expected`
              : 'every route as expected'
          }, as istiod tells ${proxy}${dns}`,
        };
      });
    });
    return (
      told ??
      services.map(s => ({
        ...row(s),
        routes: [],
        state: 'no-proxy' as const,
        detail: `no sidecar in ${namespace} is connected to istiod in ${client.cluster.name}: nothing to read what one is told`,
      }))
    );
  } catch (e) {
    return services.map(s => ({
      ...row(s),
      routes: [],
      state: 'unreachable' as const,
      detail: (e as Error).message,
    }));
  }
}
