import { resetIstio, runningClusters, up } from '@istio-mesh/local-clusters';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinThroughLibrary } from '../packages/backend/src/__testUtils__/libraryJoin';
import {
  createRootCa,
  MeshEnvironment,
  writeRootCaDir,
} from '../plugins/istio-mesh-node/src';

/** The median of `runs` timed calls of fn, in ms. */
export async function median(
  runs: number,
  fn: () => Promise<unknown>,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/**
 * Runs fn on a fresh mesh1 of the given local clusters, each joined through the
 * library as the template joins it, with a root made for the run and removed after.
 */
export async function withLocalMesh<T>(
  members: string[],
  fn: (env: MeshEnvironment) => Promise<T>,
): Promise<T> {
  let running = 0;
  try {
    running = runningClusters().length;
  } catch {
    // none yet
  }
  if (running !== members.length) await up(members.length);
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-bench-'));
  try {
    await Promise.all(members.map(resetIstio));
    await writeRootCaDir(join(work, 'root'), await createRootCa());
    process.stderr.write(`joining ${members.join(', ')}\n`);
    const env = await joinThroughLibrary({
      clusters: members,
      rootCaDir: join(work, 'root'),
      holder: 'bench',
    });
    return await fn(env);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
