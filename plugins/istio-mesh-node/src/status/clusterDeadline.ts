import { MeshCluster } from '../clusters/meshCluster';
import { guardCluster } from '../clusters/requestGuard';

/**
 * How long the status API waits for one cluster, unless
 * istioMesh.status.clusterTimeoutSeconds says.
 *
 * @public
 */
export const DEFAULT_CLUSTER_TIMEOUT_SECONDS = 15;

/**
 * Reads one cluster within `seconds`, else answers `late()`: every Kubernetes request
 * of the read is aborted at the deadline, so one stalled API server holds neither the
 * answer for every cluster nor its sockets. istiod's /debug answers have their own,
 * shorter bound.
 */
export function withinDeadline<T>(
  cluster: MeshCluster,
  seconds: number,
  read: (bounded: MeshCluster) => Promise<T>,
  late: (error: string) => T,
): Promise<T> {
  const deadline = AbortSignal.timeout(seconds * 1000);
  const bounded = guardCluster(cluster, {
    timeoutMs: seconds * 1000,
    signal: deadline,
  });
  const expired = new Promise<T>(resolve => {
    deadline.addEventListener(
      'abort',
      () => resolve(late(`no answer within ${seconds}s`)),
      { once: true },
    );
  });
  return Promise.race([read(bounded), expired]);
}
