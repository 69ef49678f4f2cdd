/** How long fn takes, in ms. */
export async function timed(
  fn: () => Promise<unknown> | unknown,
): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs a benchmark that starts a scaffolder backend, and exits once it has printed:
 * a stopped backend leaves something behind that holds the event loop, and no active
 * handle shows it.
 */
export function runWithBackend(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    e => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
