import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  V1Lease,
  V1LeaseSpec,
  V1MicroTime,
} from '@kubernetes/client-node';
import { fenceSignal } from '../clusters/leaseFence';
import { guardRequests, withoutSignals } from '../clusters/requestGuard';
import { DEFAULT_LEASE_SECONDS } from '../environment/meshEnvironment';
import {
  describeKubeError,
  isConflict,
  isNotFound,
  isTimeout,
  isTransient,
} from '../mesh/errors';
import { StepLog } from '../progress/stepLog';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renewalOverdueReason } from './renewalOverdue';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
/** A sleep that ends early when `signal` fires. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
/** Our own clock, and one that never jumps: expiry is judged by it alone. */
const monotonic = () => performance.now();

/**
 * The timings of client-go's leader election, scaled to the lease: renew every sixth
 * of it, and give up holding once two thirds have passed without a renewal, well before
 * a waiter, who needs the whole duration of seeing the Lease unchanged, may take over.
 */
function timings(leaseSeconds: number) {
  const leaseMs = leaseSeconds * 1000;
  return {
    retryMs: Math.max(200, leaseMs / 6),
    renewDeadlineMs: (leaseMs * 2) / 3,
  };
}

/**
 * The namespace is read before it is created, so credentials that may only touch
 * Leases in an existing namespace work.
 */
async function ensureNamespace(kc: KubeConfig, namespace: string) {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.readNamespace({ name: namespace });
    return;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
}

/**
 * Thrown into the work when the Lease is lost or cannot be renewed in time.
 *
 * @public
 */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

interface Observation {
  resourceVersion?: string;
  since: number;
}

/** @public */
export interface LeaseOptions {
  /** The cluster where the Lease lives. */
  kc: KubeConfig;
  namespace: string;
  /** Who holds it: the task or command, as the Lease's holderIdentity. */
  holder: string;
  waitSeconds: number;
  leaseSeconds?: number;
  log: StepLog;
}

/**
 * Runs fn while holding a Lease, as client-go's leader election
 * (k8s.io/client-go/tools/leaderelection) holds one; `purpose` names it in messages.
 * - a Lease held by another is free only once this process has seen it unchanged for
 *   its leaseDurationSeconds on its own clock, never by comparing the holder's
 *   renewTime with ours, so a holder with a skewed clock keeps a live Lease;
 * - every write carries the resourceVersion just read, so two contenders cannot both
 *   win, and a renewal happens only while holderIdentity is still ours;
 * - when a renewal finds another holder, or none succeeds within two thirds of the
 *   duration, the signal given to fn fires: every request made through it is aborted,
 *   and withLease rejects, before any waiter may take over;
 * - a Lease still ours is released afterwards, even when the task was cancelled.
 *
 * @public
 */
export async function withLease<T>(
  options: LeaseOptions & { name: string; purpose: string },
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { namespace, holder, waitSeconds, log, name } = options;
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const { retryMs, renewDeadlineMs } = timings(leaseSeconds);
  const lost = new AbortController();
  const kc = guardRequests(options.kc, {
    timeoutMs: retryMs,
    signal: lost.signal,
  });
  const api = kc.makeApiClient(CoordinationV1Api);
  const where = `${options.purpose} ${namespace}/${name}`;
  const read = async () => {
    try {
      return await api.readNamespacedLease({ name, namespace });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
  const ours = (current?: V1Lease): V1LeaseSpec => {
    const now = new V1MicroTime(Date.now());
    const held = current?.spec?.holderIdentity === holder;
    return {
      holderIdentity: holder,
      leaseDurationSeconds: leaseSeconds,
      acquireTime: held ? current?.spec?.acquireTime : now,
      renewTime: now,
      leaseTransitions:
        (current?.spec?.leaseTransitions ?? 0) + (current && !held ? 1 : 0),
    };
  };

  const deadline = monotonic() + waitSeconds * 1000;
  // As client-go retries a lock it cannot reach, for up to one lease duration since
  // the last answer: an API server just restarted, or slow under load, answers a
  // moment later.
  let unansweredSince: number | undefined;
  const retryUnanswered = async (e: unknown) => {
    if (!isTransient(e)) throw e;
    if (unansweredSince === undefined) {
      unansweredSince = monotonic();
      log.warn(
        `${where}: the API server did not answer (${describeKubeError(
          e,
        )}); retrying for up to ${leaseSeconds}s`,
      );
    } else if (monotonic() - unansweredSince > leaseSeconds * 1000) {
      throw e;
    }
    await sleep(Math.min(retryMs, 1000));
  };
  let namespaceReady = false;
  let observed: Observation = { since: monotonic() };
  let waitingFor: string | undefined;
  let renewedAt = 0;
  for (;;) {
    let current: V1Lease | undefined;
    try {
      if (!namespaceReady) {
        await ensureNamespace(kc, namespace);
        namespaceReady = true;
      }
      current = await read();
      unansweredSince = undefined;
    } catch (e) {
      await retryUnanswered(e);
      continue;
    }
    if (current?.metadata?.resourceVersion !== observed.resourceVersion) {
      observed = {
        resourceVersion: current?.metadata?.resourceVersion,
        since: monotonic(),
      };
    }
    const other = current?.spec?.holderIdentity;
    const duration =
      (current?.spec?.leaseDurationSeconds ?? leaseSeconds) * 1000;
    const free =
      !current ||
      !other ||
      other === holder ||
      monotonic() - observed.since > duration;
    if (free) {
      const sentAt = monotonic();
      try {
        if (current) {
          await api.replaceNamespacedLease({
            name,
            namespace,
            body: { metadata: current.metadata, spec: ours(current) },
          });
        } else {
          await api.createNamespacedLease({
            namespace,
            body: { metadata: { name }, spec: ours() },
          });
        }
        renewedAt = sentAt;
        if (other && other !== holder) {
          log.warn(
            `took over ${where} from ${other}, unchanged for ${Math.round(
              duration / 1000,
            )}s`,
          );
        }
        break;
      } catch (e) {
        if (!isConflict(e)) await retryUnanswered(e);
        continue;
      }
    }
    if (monotonic() > deadline) {
      throw new Error(
        `${where} is still held by ${other} after ${waitSeconds}s: wait for that task, or delete the Lease if its holder is gone`,
      );
    }
    if (waitingFor !== other) {
      log.info(`waiting for ${other} to release ${where}`);
      waitingFor = other;
    }
    await sleep(Math.min(retryMs, 1000));
  }

  const lose = (why: string) => {
    if (!lost.signal.aborted) {
      lost.abort(new LeaseLostError(`lost ${where}: ${why}`));
    }
  };
  // Ends the renewals at once when the work is done: the Lease is released right away.
  const done = new AbortController();
  // Reset at each renewal, so that a lost Lease says whether this process ran at all.
  const loopDelay = monitorEventLoopDelay({ resolution: 50 });
  loopDelay.enable();
  let lastFailure: { text: string; timedOut: boolean } | undefined;
  const renewals = (async () => {
    while (!done.signal.aborted && !lost.signal.aborted) {
      await pause(retryMs, done.signal);
      if (done.signal.aborted) return;
      const sentAt = monotonic();
      try {
        const current = await read();
        if (current?.spec?.holderIdentity !== holder) {
          lose(
            `it is held by ${current?.spec?.holderIdentity ?? 'nobody'} now`,
          );
          return;
        }
        await api.replaceNamespacedLease({
          name,
          namespace,
          body: { metadata: current.metadata, spec: ours(current) },
        });
        renewedAt = sentAt;
        lastFailure = undefined;
        loopDelay.reset();
      } catch (e) {
        lastFailure = {
          text: describeKubeError(e),
          timedOut: isTimeout(e),
        };
        // Retried until the renew deadline below.
        log.warn(`renewing ${where} failed: ${lastFailure.text}; retrying`);
      }
    }
  })();
  const checkRenewal = () => {
    if (monotonic() - renewedAt > renewDeadlineMs) {
      lose(
        renewalOverdueReason({
          renewDeadlineMs,
          requestTimeoutMs: retryMs,
          lastFailure: lastFailure?.text,
          lastFailureTimedOut: lastFailure?.timedOut,
          loopBlockedMs: loopDelay.max / 1e6,
        }),
      );
    }
  };
  const watchdog = setInterval(checkRenewal, Math.min(retryMs, 1000));
  fenceSignal(lost.signal, checkRenewal);
  const aborted = new Promise<never>((_, reject) => {
    lost.signal.addEventListener('abort', () => reject(lost.signal.reason), {
      once: true,
    });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([fn(lost.signal), aborted]);
  } finally {
    done.abort();
    clearInterval(watchdog);
    loopDelay.disable();
    await renewals.catch(() => undefined);
    if (!lost.signal.aborted) await release(options.kc, retryMs);
  }

  async function release(plain: KubeConfig, timeoutMs: number) {
    // Released even when the work was cancelled: the next holder need not wait.
    const releaseApi = withoutSignals(plain, timeoutMs).makeApiClient(
      CoordinationV1Api,
    );
    try {
      const lease = await releaseApi.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity === holder) {
        await releaseApi.deleteNamespacedLease({
          name,
          namespace,
          body: {
            preconditions: { resourceVersion: lease.metadata?.resourceVersion },
          },
        });
      }
    } catch {
      // an unreleased Lease is taken over once it has been unchanged for its duration
    }
  }
}
