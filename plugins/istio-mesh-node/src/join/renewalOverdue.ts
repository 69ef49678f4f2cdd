/** What the watchdog knows when no renewal has succeeded in time. */
export interface OverdueRenewal {
  renewDeadlineMs: number;
  /** How long one renewal request may take before it is given up. */
  requestTimeoutMs: number;
  /** The last renewal's failure since the last success, as describeKubeError says it. */
  lastFailure?: string;
  /** Whether that failure was the request's own timeout. */
  lastFailureTimedOut?: boolean;
  /** The longest this process's event loop went without running, since that success. */
  loopBlockedMs: number;
}

/** A stall of the event loop this long means the renewals never got to run. */
const BLOCKED_MS = 5_000;

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/**
 * Why the Lease is given up, in the words a platform engineer can act on: whether the
 * API server did not answer in time, refused, or this process itself did not run, so
 * that a starved backend is told apart from a slow cluster.
 */
export function renewalOverdueReason(o: OverdueRenewal): string {
  const base = `no renewal succeeded within ${seconds(o.renewDeadlineMs)}`;
  const causes: string[] = [];
  if (o.loopBlockedMs >= BLOCKED_MS) {
    causes.push(
      `this process did not run for ${seconds(
        o.loopBlockedMs,
      )} (its event loop was blocked, or the machine starved it of CPU)`,
    );
  }
  if (o.lastFailureTimedOut) {
    causes.push(
      `the API server did not answer a renewal within ${seconds(
        o.requestTimeoutMs,
      )}`,
    );
  } else if (o.lastFailure) {
    causes.push(`the last renewal failed: ${o.lastFailure}`);
  }
  return `${base}${
    causes.length ? ` (${causes.join('; ')})` : ''
  }; the work stops here, before its next request`;
}
