import { Config } from '@backstage/config';
import { isIP } from 'node:net';
import { GatewayExposure, LoadBalancerProvider } from './meshCluster';

const PROVIDERS: LoadBalancerProvider[] = ['eks', 'aks', 'gke', 'generic'];

/** The cloud a kubernetes plugin authProvider signs in to. */
const PROVIDER_OF_AUTH: Record<string, LoadBalancerProvider> = {
  aws: 'eks',
  azure: 'aks',
  googleServiceAccount: 'gke',
  google: 'gke',
};

/** Whether a string is an IPv4 or IPv6 CIDR, as loadBalancerSourceRanges takes them. */
function isCidr(range: string): boolean {
  const [address, bits, ...rest] = range.split('/');
  const family = isIP(address);
  return (
    family !== 0 &&
    rest.length === 0 &&
    /^\d{1,3}$/.test(bits ?? '') &&
    Number(bits) <= (family === 4 ? 32 : 128)
  );
}

/**
 * istioMesh.clusters[].provider, .internal and .loadBalancerSourceRanges. The provider
 * defaults to the cloud the kubernetes plugin's authProvider for the cluster signs in
 * to, else that of the mesh's own authProvider, else generic.
 */
export function gatewayExposureFromConfig(
  c: Config,
  kubernetesPluginAuthProvider?: string,
): GatewayExposure {
  const name = c.getString('name');
  const provider = (c.getOptionalString('provider') ??
    PROVIDER_OF_AUTH[kubernetesPluginAuthProvider ?? ''] ??
    PROVIDER_OF_AUTH[c.getString('authProvider')] ??
    'generic') as LoadBalancerProvider;
  if (!PROVIDERS.includes(provider)) {
    throw new Error(
      `istioMesh.clusters[${name}].provider must be ${PROVIDERS.join(
        ', ',
      )}; got "${provider}"`,
    );
  }
  const ranges = c.getOptionalStringArray('loadBalancerSourceRanges') ?? [];
  const bad = ranges.filter(r => !isCidr(r));
  if (bad.length) {
    throw new Error(
      `istioMesh.clusters[${name}].loadBalancerSourceRanges must be CIDRs such as 203.0.113.0/24; got ${bad
        .map(r => `"${r}"`)
        .join(', ')}`,
    );
  }
  return {
    provider,
    internal: c.getOptionalBoolean('internal') ?? false,
    loadBalancerSourceRanges: ranges,
  };
}
