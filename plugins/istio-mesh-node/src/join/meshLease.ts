import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  V1Lease,
  V1MicroTime,
} from '@kubernetes/client-node';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { isConflict, isNotFound } from '../mesh/errors';
import { StepLog } from '../progress/stepLog';

export const JOIN_LEASE = 'istio-mesh-membership';
const LEASE_SECONDS = 60;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const now = () => new V1MicroTime(Date.now());

function expired(lease: V1Lease): boolean {
  const renewed = lease.spec?.renewTime ?? lease.spec?.acquireTime;
  if (!renewed) return true;
  const seconds = lease.spec?.leaseDurationSeconds ?? LEASE_SECONDS;
  return new Date(renewed).getTime() + seconds * 1000 < Date.now();
}

/**
 * Runs fn while holding the mesh-wide membership Lease in the management cluster, so
 * two joins (or a join and a removal) cannot each miss the other's remote secrets. A
 * holder that died is taken over once its lease expires; a live one is renewed.
 */
export async function withMeshLease<T>(
  options: {
    /** The management cluster, where the Lease lives. */
    kc: KubeConfig;
    namespace: string;
    /** Who holds it: the task or command, as the Lease's holderIdentity. */
    holder: string;
    waitSeconds: number;
    log: StepLog;
  },
  fn: () => Promise<T>,
): Promise<T> {
  const { kc, namespace, holder, waitSeconds, log } = options;
  const api = kc.makeApiClient(CoordinationV1Api);
  try {
    await kc.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name: namespace } },
    });
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
  const spec = () => ({
    holderIdentity: holder,
    leaseDurationSeconds: LEASE_SECONDS,
    acquireTime: now(),
    renewTime: now(),
  });
  const deadline = Date.now() + waitSeconds * 1000;
  let waitingFor: string | undefined;
  for (;;) {
    let current: V1Lease | undefined;
    try {
      current = await api.readNamespacedLease({ name: JOIN_LEASE, namespace });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      if (!current) {
        await api.createNamespacedLease({
          namespace,
          body: { metadata: { name: JOIN_LEASE }, spec: spec() },
        });
        break;
      }
      if (current.spec?.holderIdentity === holder || expired(current)) {
        await api.replaceNamespacedLease({
          name: JOIN_LEASE,
          namespace,
          body: { ...current, spec: spec() },
        });
        break;
      }
    } catch (e) {
      if (!isConflict(e)) throw e;
      continue;
    }
    const other = current.spec?.holderIdentity ?? 'another task';
    if (Date.now() > deadline) {
      throw new Error(
        `the mesh membership Lease ${namespace}/${JOIN_LEASE} is still held by ${other} after ${waitSeconds}s: wait for that task, or delete the Lease if it is stale`,
      );
    }
    if (waitingFor !== other) {
      log.info(`waiting for ${other} to release the mesh membership Lease`);
      waitingFor = other;
    }
    await sleep(1000);
  }
  const renew = setInterval(() => {
    api
      .readNamespacedLease({ name: JOIN_LEASE, namespace })
      .then(lease =>
        api.replaceNamespacedLease({
          name: JOIN_LEASE,
          namespace,
          body: { ...lease, spec: { ...lease.spec, renewTime: now() } },
        }),
      )
      .catch(() => undefined);
  }, (LEASE_SECONDS * 1000) / 3);
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    try {
      const lease = await api.readNamespacedLease({
        name: JOIN_LEASE,
        namespace,
      });
      if (lease.spec?.holderIdentity === holder) {
        await api.deleteNamespacedLease({
          name: JOIN_LEASE,
          namespace,
          body: {
            preconditions: { resourceVersion: lease.metadata?.resourceVersion },
          },
        });
      }
    } catch {
      // an unreleased lease expires on its own
    }
  }
}

/** withMeshLease on the management cluster and namespace the environment names. */
export function underMeshLease<T>(
  run: { env: MeshEnvironment; holder: string; log: StepLog },
  fn: () => Promise<T>,
): Promise<T> {
  const { env, holder, log } = run;
  return withMeshLease(
    {
      kc: findCluster(env, env.lease.cluster).kubeConfig(),
      namespace: env.lease.namespace,
      holder,
      waitSeconds: env.timeouts.leaseWaitSeconds,
      log,
    },
    fn,
  );
}
