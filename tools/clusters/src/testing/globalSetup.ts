import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../paths';
import { isRunning } from '../processes';
import { up } from '../main';

const startedMarker = join(stateDir, 'started-by-tests');

/** Brings the clusters up once per test run, or reuses a running set. */
export default async function globalSetup() {
  const statePath = join(stateDir, 'state.json');
  if (existsSync(statePath)) {
    const state = require(statePath);
    const pids = state.clusters.flatMap((c: { pids: Record<string, number> }) =>
      Object.values(c.pids),
    );
    if (pids.every(isRunning)) return;
  }
  await up(2);
  writeFileSync(startedMarker, '');
}
