import { MeshRule } from '../rule';
import { judgeEachIstiod } from './judgeEachIstiod';

/**
 * Istio's own verdict on the network gateways: each istiod's /debug/networkz holds
 * every other network's east-west gateway, at the address its Service has.
 */
export const istiodKnowsGateways: MeshRule = {
  id: 'istiod-knows-gateways',
  title: "istiod knows every network's gateway",
  asksIstiod: true,
  judge: members =>
    judgeEachIstiod(members, {
      lacks: (m, view) =>
        members
          .filter(o => o !== m && o.network !== m.network)
          .filter(
            o =>
              !view.gateways?.some(
                g =>
                  g.network === o.network && g.address === o.gateway?.address,
              ),
          )
          .map(o => `${o.network} at ${o.gateway?.address ?? 'no address'}`),
      problem: (m, lacks) =>
        `${m.cluster}'s istiod has no gateway for ${lacks.join(', ')}`,
      ok: asked =>
        `${asked} istiod${
          asked > 1 ? 's' : ''
        } route to every other network's gateway`,
      fix: 'label the gateway Service with topology.istio.io/network and give it a LoadBalancer address',
    }),
};
