import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { up } from '../main';
import { stateDir } from '../paths';
import { runningState } from '../state';

/** Brings the clusters up once per test run, or reuses a running set. */
export default async function globalSetup() {
  if (runningState()) return;
  await up(2);
  writeFileSync(join(stateDir, 'started-by-tests'), '');
}
