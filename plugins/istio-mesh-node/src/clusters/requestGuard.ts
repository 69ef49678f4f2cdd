import { KubeConfig } from '@kubernetes/client-node';
import { checkFence } from './leaseFence';
import { MeshCluster } from './meshCluster';

/**
 * How long one Kubernetes API request may take unless the caller says otherwise: an
 * API server that accepts connections but never answers must not hold a join or a
 * status page.
 *
 * @public
 */
export const DEFAULT_KUBE_REQUEST_SECONDS = 30;

/** Each guarded KubeConfig, to the one it guards. */
const guardedFrom = new WeakMap<KubeConfig, KubeConfig>();

/**
 * The same cluster access, with every REST request bounded: it is aborted after
 * `timeoutMs`, or as soon as `signal` fires (the mesh Lease was lost, the task was
 * cancelled), and not sent at all when the signal's fence (leaseFence) fires it. The client applies authentication to every request through
 * applySecurityAuthentication, so that is where the guard joins in; port-forwards and
 * exec, which are WebSockets, are left to their callers.
 *
 * @public
 */
export function guardRequests(
  kc: KubeConfig,
  guard: { timeoutMs: number; signal?: AbortSignal },
): KubeConfig {
  const guarded: KubeConfig = Object.create(kc);
  guarded.applySecurityAuthentication = async context => {
    await kc.applySecurityAuthentication(context);
    checkFence(guard.signal);
    const timeout = AbortSignal.timeout(guard.timeoutMs);
    const signals = [timeout, guard.signal, context.getSignal()].filter(
      (s): s is AbortSignal => !!s,
    );
    context.setSignal(AbortSignal.any(signals));
  };
  guardedFrom.set(guarded, kc);
  return guarded;
}

/**
 * The access a guarded KubeConfig was made from, bounded by `timeoutMs` alone: for
 * cleanup that must happen even after the work was stopped, such as releasing a Lease.
 *
 * @public
 */
export function withoutSignals(kc: KubeConfig, timeoutMs: number): KubeConfig {
  let base = kc;
  while (guardedFrom.has(base)) base = guardedFrom.get(base)!;
  return guardRequests(base, { timeoutMs });
}

/**
 * The same cluster, with every request of its KubeConfigs guarded as guardRequests
 * guards them.
 */
export function guardCluster(
  cluster: MeshCluster,
  guard: { timeoutMs: number; signal?: AbortSignal },
): MeshCluster {
  return {
    ...cluster,
    kubeConfig: () => guardRequests(cluster.kubeConfig(), guard),
  };
}
