import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { down } from '../main';
import { stateDir } from '../paths';
import { keepHarnessLogs } from './keepHarnessLogs';

/**
 * Takes the clusters down only if this Jest run brought them up, keeping their logs.
 * Another run beside it (`yarn test:unit`, say) leaves them alone.
 */
export default async function globalTeardown() {
  const marker = join(stateDir, 'started-by-tests');
  if (!existsSync(marker)) return;
  if (readFileSync(marker, 'utf8').trim() !== String(process.pid)) return;
  keepHarnessLogs();
  await down();
}
