/**
 * A check run right before each request made under a signal, by the request guard.
 * A Lease's signal fires from a timer, and timers wait their turn: a process that did
 * not run for a while (a long GC pause, a frozen container, a starved machine) runs
 * the I/O that was waiting first, and that work may send its next write before the
 * timer has seen that the Lease ran out. The fence judges the Lease at the moment the
 * request leaves, on this process's own clock, and fires the signal first when it ran
 * out, so the request is aborted before it is sent.
 */
const fences = new WeakMap<AbortSignal, () => void>();

/** Registers the check that guards every request made under `signal`. */
export function fenceSignal(signal: AbortSignal, check: () => void): void {
  fences.set(signal, check);
}

/** Runs the check registered for `signal`, if any; it may fire the signal. */
export function checkFence(signal: AbortSignal | undefined): void {
  if (signal) fences.get(signal)?.();
}
