import { MeshRule, verdict } from '../rule';

export const gatewayAddress: MeshRule = {
  id: 'gateway-address',
  title: 'East-west gateway address',
  asksIstiod: false,
  judge(members) {
    const noGateway = members
      .filter(m => !m.gateway?.address)
      .map(m => m.cluster);
    return verdict(noGateway, {
      problem: `no east-west gateway address in ${noGateway.join(', ')}`,
      ok: 'every cluster has one',
      fix: 'give istio-eastwestgateway a LoadBalancer address (or externalIPs); remote endpoints fall back to pod IPs without it',
    });
  },
};
