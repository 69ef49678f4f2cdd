import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { up } from '../main';
import { stateDir } from '../paths';
import { runningState } from '../state';
import { runsClusterSuites } from './testLayers';

/**
 * The integration suites need three clusters: two to join, one to join a two-member
 * mesh. A running set of three is reused; anything else is replaced.
 */
export const TEST_CLUSTERS = 3;

/**
 * Brings the clusters up for a run that can include an integration or browser suite;
 * a run that ignores those (`yarn test:unit`) starts nothing.
 */
export default async function globalSetup(
  _globalConfig: unknown,
  projectConfig: { testPathIgnorePatterns?: string[] },
) {
  if (!runsClusterSuites(projectConfig.testPathIgnorePatterns)) return;
  if (runningState()?.clusters.length === TEST_CLUSTERS) return;
  await up(TEST_CLUSTERS);
  // Names this Jest process, so only its own teardown takes them down.
  writeFileSync(join(stateDir, 'started-by-tests'), String(process.pid));
}
