import { ConfigReader } from '@backstage/config';
import { gatewayExposureFromConfig } from './gatewayExposureFromConfig';

const exposureOf = (cluster: Record<string, unknown>) =>
  gatewayExposureFromConfig(new ConfigReader({ name: 'c1', ...cluster }));

describe('gatewayExposureFromConfig', () => {
  it.each([
    ['aws', 'eks'],
    ['azure', 'aks'],
    ['googleServiceAccount', 'gke'],
    ['serviceAccount', 'generic'],
    ['kubeconfig', 'generic'],
  ])('takes the provider of authProvider %s: %s', (authProvider, provider) => {
    expect(exposureOf({ authProvider })).toEqual({
      provider,
      internal: false,
      loadBalancerSourceRanges: [],
    });
  });

  it("takes the cloud of the kubernetes plugin's authProvider first", () => {
    expect(
      gatewayExposureFromConfig(
        new ConfigReader({ name: 'c1', authProvider: 'serviceAccount' }),
        'google',
      ).provider,
    ).toBe('gke');
  });

  it('lets config name the provider, the internal load balancer and source ranges', () => {
    expect(
      exposureOf({
        authProvider: 'kubeconfig',
        provider: 'eks',
        internal: true,
        loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
      }),
    ).toEqual({
      provider: 'eks',
      internal: true,
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
    });
  });

  it('refuses an unknown provider and ranges that are not CIDRs, naming them', () => {
    expect(() =>
      exposureOf({ authProvider: 'serviceAccount', provider: 'openshift' }),
    ).toThrow(
      'istioMesh.clusters[c1].provider must be eks, aks, gke, generic; got "openshift"',
    );
    expect(() =>
      exposureOf({
        authProvider: 'serviceAccount',
        loadBalancerSourceRanges: ['10.0.0.0/8', '10.0.0.1', '10.0.0.0/33'],
      }),
    ).toThrow(/got "10.0.0.1", "10.0.0.0\/33"$/);
  });
});
