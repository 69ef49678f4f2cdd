import {
  findCluster,
  MeshEnvironment,
  stoppedBy,
} from '../environment/meshEnvironment';
import { StepLog } from '../progress/stepLog';
import { LeaseOptions, withLease } from './lease';

export const JOIN_LEASE = 'istio-mesh-membership';

/**
 * Runs fn while holding the mesh-wide membership Lease in the management cluster, so
 * two joins (or a join and a removal) cannot each miss the other's remote secrets. The
 * Lease is held as withLease holds one.
 *
 * @public
 */
export function withMeshLease<T>(
  options: LeaseOptions,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return withLease(
    { ...options, name: JOIN_LEASE, purpose: 'the mesh membership Lease' },
    fn,
  );
}

/**
 * withMeshLease on the management cluster and namespace the environment names. The
 * work gets the environment with every cluster's requests tied to the Lease: once it
 * is lost, they are aborted.
 */
export function underMeshLease<T>(
  run: { env: MeshEnvironment; holder: string; log: StepLog },
  fn: (env: MeshEnvironment, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { env, holder, log } = run;
  return withMeshLease(
    {
      kc: findCluster(env, env.lease.cluster).kubeConfig(),
      namespace: env.lease.namespace,
      holder,
      waitSeconds: env.timeouts.leaseWaitSeconds,
      leaseSeconds: env.timeouts.leaseSeconds,
      log,
    },
    signal => fn(stoppedBy(env, signal), signal),
  );
}
