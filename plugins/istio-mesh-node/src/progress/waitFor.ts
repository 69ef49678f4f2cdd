const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Polls check until it is true or the time is up. Errors while polling count as "not
 * yet": the thing waited for may be mid-creation.
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
    } catch {
      // retried until the deadline
    }
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
