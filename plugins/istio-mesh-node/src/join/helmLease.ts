import { KubeConfig } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { MeshEnvironment, stoppedBy } from '../environment/meshEnvironment';
import { HelmRelease } from '../helm/helmRunner';
import { ISTIO_SYSTEM } from '../mesh/names';
import { StepLog } from '../progress/stepLog';
import { withLease } from './lease';

/** The Lease, in a cluster's istio-system, held while this project runs helm there. */
export const HELM_LEASE = 'istio-mesh-helm';

/**
 * Runs fn holding the cluster's helm Lease; the environment it gets kills helm and
 * aborts requests once the Lease is lost.
 */
export function withHelmLease<T>(
  run: {
    env: MeshEnvironment;
    cluster: MeshCluster;
    holder: string;
    log: StepLog;
  },
  fn: (env: MeshEnvironment) => Promise<T>,
): Promise<T> {
  const { env, cluster, holder, log } = run;
  return withLease(
    {
      kc: cluster.kubeConfig(),
      namespace: ISTIO_SYSTEM,
      name: HELM_LEASE,
      purpose: `the helm Lease of cluster ${cluster.name}`,
      holder,
      waitSeconds: env.timeouts.leaseWaitSeconds,
      leaseSeconds: env.timeouts.leaseSeconds,
      log,
    },
    signal => fn(stoppedBy(env, signal)),
  );
}

/**
 * A release in a pending-* state blocks every helm upgrade ("another operation is in
 * progress"). Under the helm Lease no helm of ours runs on this cluster, so such a
 * release was left by a helm that was killed (a cancelled task, a backend that died):
 * a pending install is uninstalled, so that the install starts over; a pending upgrade
 * or rollback is rolled back to the revision before it.
 */
export async function recoverPendingRelease(
  env: MeshEnvironment,
  kc: KubeConfig,
  run: { cluster: string; current: HelmRelease; log: StepLog },
): Promise<boolean> {
  const { cluster, current, log } = run;
  const { name: release, status } = current;
  if (!status.startsWith('pending-')) return false;
  const where = `cluster ${cluster}: release ${release} is ${status} (revision ${current.revision}), left by a helm that was stopped`;
  if (status === 'pending-install') {
    log.warn(`${where}; uninstalling it, so the install starts over`);
    await env.helm.uninstall(kc, {
      name: release,
      namespace: ISTIO_SYSTEM,
      timeoutSeconds: env.timeouts.helmSeconds,
    });
  } else {
    log.warn(`${where}; rolling it back to the revision before`);
    await env.helm.rollback(kc, {
      name: release,
      namespace: ISTIO_SYSTEM,
      timeoutSeconds: env.timeouts.helmSeconds,
    });
  }
  log.info(`cluster ${cluster}: release ${release} recovered from ${status}`);
  return true;
}
