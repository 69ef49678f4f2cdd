const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Whether an error means the work was stopped (the task cancelled, the mesh Lease
 * lost), not that the thing waited for is not there yet. A request's own timeout is
 * not a stop: the next poll may be answered.
 */
export function isStop(e: unknown): boolean {
  for (let cause = e; cause; cause = (cause as { cause?: unknown }).cause) {
    const name = (cause as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'LeaseLostError') return true;
    if (typeof cause !== 'object') return false;
  }
  return false;
}

/**
 * Polls check until it is true or the time is up. Errors while polling count as "not
 * yet": the thing waited for may be mid-creation. A stop (isStop) ends the wait at
 * once, so a cancelled task does not poll on to the deadline.
 */
export async function waitFor(
  seconds: number,
  check: () => Promise<boolean>,
  intervalMs = 500,
): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await check()) return true;
    } catch (e) {
      if (isStop(e)) throw e;
    }
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
