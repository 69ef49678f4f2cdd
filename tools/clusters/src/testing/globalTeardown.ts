import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { down } from '../main';
import { stateDir } from '../paths';
import { keepHarnessLogs } from './keepHarnessLogs';

/** Takes the clusters down only if this run brought them up, keeping their logs. */
export default async function globalTeardown() {
  if (!existsSync(join(stateDir, 'started-by-tests'))) return;
  keepHarnessLogs();
  await down();
}
