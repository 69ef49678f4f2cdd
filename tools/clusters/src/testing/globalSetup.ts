import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { up } from '../main';
import { stateDir } from '../paths';
import { runningState } from '../state';

/**
 * The integration suites need three clusters: two to join, one to join a two-member
 * mesh. A running set of three is reused; anything else is replaced.
 */
export const TEST_CLUSTERS = 3;

export default async function globalSetup() {
  if (runningState()?.clusters.length === TEST_CLUSTERS) return;
  await up(TEST_CLUSTERS);
  writeFileSync(join(stateDir, 'started-by-tests'), '');
}
