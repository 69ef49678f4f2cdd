import { ToldRoute } from '@istio-mesh/plugin-istio-mesh-common';
import { CROSS_NETWORK_PORT, NETWORK_LABEL } from '../mesh/names';
import { AssignedEndpoint } from './assignedEndpoints';

/** What one member cluster holds of a service, and how a proxy elsewhere should reach it. */
export interface RouteExpectation {
  cluster: string;
  clusterName: string;
  network?: string;
  /** The address of the member's east-west gateway, as its Service status gives it. */
  gatewayAddress?: string;
  /** Ready endpoints of the service in the member. */
  ready: number;
  /** Ready endpoints whose pod takes mTLS (tlsMode istio: injected). */
  mtls: number;
  /** Whether the proxy's istiod reads this member's registry (its own, or a synced remote secret). */
  readByIstiod: boolean;
}

const isIp = (address: string) =>
  /^\d+\.\d+\.\d+\.\d+$/.test(address) || address.includes(':');

/**
 * Judges what istiod told one proxy about a service against what each member holds,
 * by istiod's own rules for a sidecar (Istio's pilot/pkg/xds/endpoints/ep_filters.go):
 * endpoints on the proxy's network are sent directly, one per pod; those on another
 * network only through that network's gateway on 15443, weighted by how many there
 * are, and only when they take mTLS, since the gateway routes by the SNI of the mTLS
 * connection. A remote endpoint without a sidecar is left out, rightly.
 */
export function judgeRoutes(
  client: { cluster: string; network?: string },
  told: AssignedEndpoint[],
  members: RouteExpectation[],
): ToldRoute[] {
  const throughGateway = (e: AssignedEndpoint) => e.port === CROSS_NETWORK_PORT;
  // Weights are scaled by the gateways per network; a direct endpoint carries one unit.
  const unit = told.find(e => !throughGateway(e))?.weight ?? 1;
  return members.map(member => {
    const mine = told.filter(e => e.clusterName === member.clusterName);
    const gateway = mine.filter(throughGateway);
    const direct = mine.filter(e => !throughGateway(e));
    const sameNetwork =
      !member.network || !client.network || member.network === client.network;
    const expected = sameNetwork ? member.ready : member.mtls;
    let via: ToldRoute['via'] = 'none';
    if (gateway.length) via = 'gateway';
    else if (direct.length) via = 'direct';
    const endpoints =
      via === 'gateway'
        ? Math.round(gateway.reduce((sum, e) => sum + e.weight, 0) / unit)
        : direct.length;
    const route: ToldRoute = {
      cluster: member.cluster,
      clusterName: member.clusterName,
      network: member.network,
      via,
      addresses: (via === 'gateway' ? gateway : direct).map(
        e => `${e.address}:${e.port}`,
      ),
      endpoints,
      expected,
      ok: true,
    };
    if (!sameNetwork && member.ready > member.mtls) {
      const count = member.ready - member.mtls;
      route.leftOut = {
        count,
        reason: `${count} of ${member.ready} endpoint(s) in ${member.cluster} have no sidecar, so no mTLS for the gateway's SNI routing: istiod sends them to no other network`,
        fix: `label the namespace in ${member.cluster} for injection (istio-injection=enabled or istio.io/rev) and restart the workload`,
      };
    }
    const problem = judge(client, member, route, sameNetwork);
    if (problem) Object.assign(route, { ok: false, ...problem });
    return route;
  });
}

function judge(
  client: { cluster: string; network?: string },
  member: RouteExpectation,
  route: ToldRoute,
  sameNetwork: boolean,
): { problem: string; fix: string } | undefined {
  const restart = `restart istiod in ${client.cluster} if it stays so (kubectl -n istio-system rollout restart deployment/istiod)`;
  if (sameNetwork && route.via === 'gateway')
    return {
      problem: `told to reach ${member.cluster}, on its own network, through a gateway: the proxy has no network`,
      fix: `give istiod in ${client.cluster} its network (the join's network input sets global.network) and restart the workload`,
    };
  if (!sameNetwork && route.via === 'direct')
    return {
      problem: `told ${member.cluster}'s pod addresses directly, across networks: istiod knows no gateway for ${member.network}`,
      fix: `label the east-west gateway Service in ${member.cluster} with ${NETWORK_LABEL}=${member.network} and check it has an address (the join's gateway step does both)`,
    };
  if (route.via === 'none' && route.expected > 0)
    return member.readByIstiod
      ? {
          problem: `told nothing of ${member.cluster}'s ${route.expected} endpoint(s), though istiod reads ${member.cluster}`,
          fix: `check the east-west gateway of ${member.network} (label ${NETWORK_LABEL}, an address); ${restart}`,
        }
      : {
          problem: `told nothing of ${member.cluster}: istiod in ${client.cluster} does not read ${member.cluster}`,
          fix: `remote secret: re-run the remote secrets step for ${member.cluster} (istio:mesh:remoteSecrets), so ${client.cluster} holds one for it`,
        };
  if (
    route.via === 'gateway' &&
    member.gatewayAddress &&
    isIp(member.gatewayAddress) &&
    route.addresses.some(
      a => a !== `${member.gatewayAddress}:${CROSS_NETWORK_PORT}`,
    )
  )
    return {
      problem: `told gateway ${route.addresses.join(', ')} for ${
        member.cluster
      }, whose east-west gateway is at ${
        member.gatewayAddress
      }:${CROSS_NETWORK_PORT}`,
      fix: `istiod's view of the gateway is stale: ${restart}`,
    };
  if (route.endpoints !== route.expected)
    return {
      problem: `told ${route.endpoints} endpoint(s) of ${member.cluster}, which has ${route.expected}`,
      fix: `istiod may not have caught up: check again in a minute; ${restart}`,
    };
  return undefined;
}
