import { CA_USAGE, runCa } from './ca';
import { UsageError } from './args';

const USAGE = `istio-mesh: mesh work that does not belong in the portal\n\n${CA_USAGE}`;

/** @public */
export async function main(
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  const [group, ...rest] = args;
  try {
    if (group === 'ca') return await runCa(rest, out);
    if (group === undefined || group === '--help' || group === 'help') {
      out(USAGE);
      return group === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${group}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      out(`istio-mesh: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    out(`istio-mesh: ${(e as Error).message}`);
    return 1;
  }
}

/**
 * Entry point of bin/istio-mesh.
 *
 * @public
 */
export function run(): void {
  main(process.argv.slice(2), line => process.stdout.write(`${line}\n`)).then(
    code => {
      process.exitCode = code;
    },
  );
}
