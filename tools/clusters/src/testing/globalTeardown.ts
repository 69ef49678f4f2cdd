import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { down } from '../main';
import { stateDir } from '../paths';

/** Takes the clusters down only if this run brought them up. */
export default async function globalTeardown() {
  if (existsSync(join(stateDir, 'started-by-tests'))) await down();
}
