import { KubeConfig } from '@kubernetes/client-node';

/**
 * Chart values a cluster adds to every install, per chart.
 *
 * @public
 */
export type ChartValues = Partial<
  Record<'base' | 'istiod' | 'gateway', Record<string, unknown>>
>;

/**
 * The cloud whose load balancer fronts the east-west gateway: it decides the gateway
 * Service's annotations (join/gatewayService.ts).
 *
 * @public
 */
export type LoadBalancerProvider = 'eks' | 'aks' | 'gke' | 'generic';

/**
 * How the east-west gateway's Service is exposed to the other networks.
 *
 * @public
 */
export interface GatewayExposure {
  provider: LoadBalancerProvider;
  /** The cloud's private load balancer, for peers that reach it over an interconnect. */
  internal: boolean;
  /** The peers' egress CIDRs; empty leaves 15443 open to every address. */
  loadBalancerSourceRanges: string[];
}

/**
 * A cluster the mesh actions may act on: one of the kubernetes plugin's clusters, with
 * the stronger credentials istioMesh.clusters gives it.
 *
 * @public
 */
export interface MeshCluster {
  name: string;
  /** The API server address the portal uses. */
  server: string;
  /** The API server address other clusters' istiods use, written into remote secrets. */
  peerServer: string;
  /** True when peerServer was not configured and fell back to the portal's address. */
  peerServerDefaulted: boolean;
  chartValues: ChartValues;
  /** How its east-west gateway is exposed; a generic, public load balancer when absent. */
  gatewayExposure?: GatewayExposure;
  /** Where the backend reaches this cluster's istiod HTTP port (8080) for /debug/*. */
  istiodDebugUrl?: string;
  /** Fetches short-lived cloud credentials; a no-op for static ones. */
  refreshCredentials(): Promise<void>;
  kubeConfig(): KubeConfig;
}
