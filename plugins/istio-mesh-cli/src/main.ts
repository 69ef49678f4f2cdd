import { CA_COMMANDS, CA_USAGE, runCa } from './ca';
import { UsageError } from './args';

const USAGE = `istio-mesh: mesh work that does not belong in the portal\n\n${CA_USAGE}`;

const HELP = ['--help', '-h'];

/** The usage of the command the words name (`ca`, `ca calendar`), or of them all. */
function usageOf(words: string[]): string {
  const [group, command, ...more] = words;
  if (group === undefined) return USAGE;
  if (group === 'ca' && command === undefined) return CA_USAGE;
  if (group === 'ca' && CA_COMMANDS[command] && more.length === 0) {
    return `Usage:\n  ${CA_COMMANDS[command]}`;
  }
  throw new UsageError(`no help for "${words.join(' ')}"`);
}

/** @public */
export async function main(
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  const [group, ...rest] = args;
  try {
    if (args.some(a => HELP.includes(a)) || group === 'help') {
      // Only the command's words count: `ca calendar --config x --help` is calendar's.
      const words = args.filter(a => a !== 'help' && !HELP.includes(a));
      const firstOption = words.findIndex(w => w.startsWith('-'));
      out(usageOf(firstOption === -1 ? words : words.slice(0, firstOption)));
      return 0;
    }
    if (group === 'ca') return await runCa(rest, out);
    if (group === undefined) {
      out(USAGE);
      return 2;
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
