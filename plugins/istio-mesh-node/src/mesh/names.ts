/** Names Istio's charts, istioctl and istiod agree on; changing one breaks discovery. */
export const ISTIO_SYSTEM = 'istio-system';
export const NETWORK_LABEL = 'topology.istio.io/network';
export const CACERTS_SECRET = 'cacerts';
export const READER_SERVICE_ACCOUNT = 'istio-reader-service-account';
/** istioctl create-remote-secret's name for the reader token Secret it creates. */
export const READER_TOKEN_SECRET = `${READER_SERVICE_ACCOUNT}-istio-remote-secret-token`;
export const MULTICLUSTER_LABEL = 'istio/multiCluster';
export const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';
export const EASTWEST_GATEWAY = 'istio-eastwestgateway';
export const CROSS_NETWORK_GATEWAY = 'cross-network-gateway';
/** The port istiod routes cross-network traffic to on a network's gateway. */
export const CROSS_NETWORK_PORT = 15443;
/** The ConfigMap the istiod chart renders its merged values into. */
export const ISTIOD_VALUES_CONFIGMAP = 'values';

/**
 * On istio-system: "joining" from a join's install until its remote secrets are
 * exchanged, then "true"; "false" once the cluster leaves the mesh but keeps Istio
 * (memberState.ts).
 */
export const MEMBER_LABEL = 'istio-mesh.backstage.io/member';

/**
 * The helm release each Istio chart is installed as, named as Istio's docs name them.
 *
 * @public
 */
export const RELEASES = {
  base: 'istio-base',
  istiod: 'istiod',
  gateway: EASTWEST_GATEWAY,
} as const;

/** @public */
export type ChartName = keyof typeof RELEASES;

export function remoteSecretName(cluster: string): string {
  return `istio-remote-secret-${cluster}`;
}
