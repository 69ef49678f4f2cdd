import { MeshRule, verdict } from '../rule';

/** istio-system's label, istiod's global.network and the gateway's label must name one network. */
export const networkLabel: MeshRule = {
  id: 'network-label',
  title: 'Network labels consistent',
  asksIstiod: false,
  judge(members) {
    const bad = members
      .filter(
        m =>
          !m.namespaceNetwork ||
          m.namespaceNetwork !== m.network ||
          (m.gateway && m.gateway.network !== m.namespaceNetwork),
      )
      .map(m => m.cluster);
    return verdict(bad, {
      problem: `istio-system label, istiod network and gateway network disagree or are missing in ${bad.join(
        ', ',
      )}`,
      ok: 'istio-system, istiod and the gateway agree on each network',
      fix: 'label istio-system topology.istio.io/network=<network> and re-run the helm step of the join, which labels the east-west gateway for its network',
    });
  },
};
