import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import { isIP } from 'node:net';
import { clusterNameOf, MeshRule } from '../rule';
import { judgeEachIstiod } from './judgeEachIstiod';

type IstiodGateway = NonNullable<
  NonNullable<ClusterMembership['istiodView']>['gateways']
>[number];

/**
 * A hostname gateway (an AWS load balancer's) is resolved by istiod itself, and
 * /debug/networkz lists only the addresses it resolved (docs/istio-procedure.md §7),
 * so for one the entries of that network and cluster are what istiod routes to.
 */
function routesTo(
  gateways: IstiodGateway[],
  other: ClusterMembership,
): IstiodGateway[] {
  const address = other.gateway?.address;
  if (!address) return [];
  return gateways.filter(
    g =>
      g.network === other.network &&
      (isIP(address)
        ? g.address === address
        : g.cluster === clusterNameOf(other)),
  );
}

/** What istiod resolved each hostname gateway to, for the verdict's detail. */
function resolvedHostnames(members: ClusterMembership[]): string[] {
  return members
    .filter(o => o.gateway?.address && !isIP(o.gateway.address))
    .map(o => {
      const resolved = new Set(
        members
          .filter(m => m !== o)
          .flatMap(m => routesTo(m.istiodView?.gateways ?? [], o))
          .map(g => g.address),
      );
      return `${o.cluster}'s ${o.gateway!.address}, resolved by istiod to ${
        [...resolved].join(', ') || 'nothing'
      }`;
    });
}

/**
 * Istio's own verdict on the network gateways: each istiod's /debug/networkz holds
 * every other network's east-west gateway, at the address its Service has or, for a
 * hostname, at the addresses istiod resolved it to.
 */
export const istiodKnowsGateways: MeshRule = {
  id: 'istiod-knows-gateways',
  title: "istiod knows every network's gateway",
  asksIstiod: true,
  judge: members => {
    const hostnames = resolvedHostnames(members);
    return judgeEachIstiod(members, {
      lacks: (m, view) =>
        members
          .filter(o => o !== m && o.network !== m.network)
          .filter(o => routesTo(view.gateways ?? [], o).length === 0)
          .map(o => {
            const address = o.gateway?.address;
            if (!address) return `${o.network} at no address`;
            return isIP(address)
              ? `${o.network} at ${address}`
              : `${o.network} at ${address} (no address resolved: istiod resolves it through its own DNS)`;
          }),
      problem: (m, lacks) =>
        `${m.cluster}'s istiod has no gateway for ${lacks.join(', ')}`,
      ok: asked =>
        `${asked} istiod${
          asked > 1 ? 's' : ''
        } route to every other network's gateway${
          hostnames.length ? ` (${hostnames.join('; ')})` : ''
        }`,
      fix: 'label the gateway Service with topology.istio.io/network and give it a LoadBalancer address; for a hostname, make sure the DNS istiod uses resolves it',
    });
  },
};
