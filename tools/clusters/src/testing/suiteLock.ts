import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../paths';
import { isRunning, sleep } from '../processes';

const lockPath = join(stateDir, 'suite.lock');

/**
 * How long a suite may wait for its turn: behind every other suite that installs
 * Istio, each a few minutes. Kept out of the suites' own setup budgets, so waiting
 * is never mistaken for a slow setup.
 */
export const CLUSTERS_TURN_TIMEOUT_MS = 45 * 60_000;

/**
 * Suites that install Istio into the shared clusters take turns: Jest may run test
 * files in parallel workers. A lock left by a dead process is taken over.
 */
export async function lockClusters(suite: string): Promise<() => void> {
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid} ${suite}`);
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lockPath, 'utf8').split(' ')[0]);
      if (holder && !isRunning(holder)) rmSync(lockPath, { force: true });
      else await sleep(500);
    }
  }
}
