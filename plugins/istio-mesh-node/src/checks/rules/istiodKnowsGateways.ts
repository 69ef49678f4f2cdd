import { MeshRule, verdict } from '../rule';
import { askedIstiods } from './askedIstiods';

/**
 * Istio's own verdict on the network gateways: each istiod's /debug/networkz holds
 * every other network's east-west gateway, at the address its Service has.
 */
export const istiodKnowsGateways: MeshRule = {
  id: 'istiod-knows-gateways',
  title: "istiod knows every network's gateway",
  asksIstiod: true,
  judge(members) {
    const { asked, notAsked, notAskedNote } = askedIstiods(members);
    if (notAsked) return notAsked;
    const problems: string[] = [];
    const failing: string[] = [];
    for (const m of asked) {
      const view = m.istiodView!;
      const missing = view.error
        ? [view.error]
        : members
            .filter(o => o !== m && o.network !== m.network)
            .filter(
              o =>
                !view.gateways?.some(
                  g =>
                    g.network === o.network && g.address === o.gateway?.address,
                ),
            )
            .map(o => `${o.network} at ${o.gateway?.address ?? 'no address'}`);
      if (missing.length) {
        failing.push(m.cluster);
        problems.push(
          `${m.cluster}'s istiod has no gateway for ${missing.join(', ')}`,
        );
      }
    }
    return verdict(failing, {
      problem: problems.join('; '),
      ok: `${asked.length} istiod${
        asked.length > 1 ? 's' : ''
      } route to every other network's gateway${notAskedNote}`,
      fix: 'label the gateway Service with topology.istio.io/network and give it a LoadBalancer address',
    });
  },
};
