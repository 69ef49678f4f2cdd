import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot, stateDir } from '../paths';

export const keptLogsDir = join(repoRoot, 'test-results', 'clusters');

/**
 * `down` deletes the clusters' directory, logs included; a failed run needs them. Only
 * `*.log` files are kept: the directory also holds keys and tokens. What the istiod
 * supervisor saw go wrong is printed too, as CI keeps only the run's output.
 */
export function keepHarnessLogs(from = stateDir, to = keptLogsDir): void {
  if (!existsSync(from)) return;
  rmSync(to, { recursive: true, force: true });
  for (const file of logFiles(from)) {
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  const supervisorLog = join(from, 'istiod-supervisor.log');
  if (!existsSync(supervisorLog)) return;
  const trouble = readFileSync(supervisorLog, 'utf8')
    .split('\n')
    .filter(line => / exited | failed/.test(line));
  if (trouble.length) {
    process.stdout.write(
      `istiod supervisor reported (logs kept in ${relative(
        repoRoot,
        to,
      )}):\n${trouble.slice(-20).join('\n')}\n`,
    );
  }
}

function logFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return logFiles(path);
    return entry.isFile() && entry.name.endsWith('.log') ? [path] : [];
  });
}
