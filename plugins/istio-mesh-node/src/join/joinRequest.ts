/**
 * What a platform engineer asks for when a cluster joins the mesh.
 *
 * @public
 */
export interface JoinRequest {
  /** The cluster, as named in the kubernetes plugin's and istioMesh's config. */
  cluster: string;
  /** istiod's clusterName; defaults to the cluster's config name. */
  clusterName?: string;
  meshId: string;
  network: string;
  /**
   * The network is shared with the members on it on purpose: this cluster's pods and
   * theirs reach each other directly. Otherwise pre-flight refuses a member's network.
   */
  sharedNetwork?: boolean;
  /** The Istio chart version to install. */
  istioVersion: string;
  dryRun: boolean;
  /**
   * After the remote secrets change, restart any istiod found stale instead of failing
   * with that fix (ensureIstiodsFresh).
   */
  restartIstiodIfStale?: boolean;
}

/** @public */
export function clusterNameOf(request: JoinRequest): string {
  return request.clusterName || request.cluster;
}

/**
 * The network a cluster joins when none is named: one network per cluster, the usual
 * case across clouds, where pods of different clusters cannot reach each other.
 *
 * @public
 */
export function defaultNetworkOf(cluster: string): string {
  return `network-${cluster}`;
}
