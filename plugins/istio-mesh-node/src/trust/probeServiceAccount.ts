import { CoreV1Api, V1ServiceAccount } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { ISTIO_SYSTEM } from '../mesh/names';

/**
 * The ServiceAccount whose identity the trust proof asks istiod's CA to certify. No pod
 * runs as it; the proof only mints short-lived tokens for it.
 */
export const TRUST_PROBE_SERVICE_ACCOUNT = 'istio-mesh-trust-probe';

/** Marks what the portal added to a cluster, so a reader knows whose it is. */
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const MANAGED_BY = 'istio-mesh-backstage';

/** The audience istiod's CA accepts by default (TOKEN_AUDIENCES, global.sds.token.aud). */
const ISTIO_CA_AUDIENCE = 'istio-ca';

/** The API server's floor for a TokenRequest's lifetime. */
const TOKEN_SECONDS = 600;

export function trustProbeServiceAccountManifest(): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: TRUST_PROBE_SERVICE_ACCOUNT,
      namespace: ISTIO_SYSTEM,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
    },
  };
}

/** A ten-minute token for the probe ServiceAccount, for istiod's CA only. */
export async function trustProbeToken(cluster: MeshCluster): Promise<string> {
  const answer = await cluster
    .kubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccountToken({
      name: TRUST_PROBE_SERVICE_ACCOUNT,
      namespace: ISTIO_SYSTEM,
      body: {
        spec: {
          audiences: [ISTIO_CA_AUDIENCE],
          expirationSeconds: TOKEN_SECONDS,
        },
      },
    });
  return answer.status!.token!;
}
