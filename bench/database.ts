/**
 * A join's time with the portal's backend as production runs it (app-config.production.yaml,
 * a local PostgreSQL, sign-in through the local OIDC issuer) against the same backend in
 * development (app-config.development.yaml, SQLite in memory, guest).
 * Each round starts the backend (packages/backend, as its own process), joins west to a
 * mesh of east through the REST API with "Add cluster to mesh", and stops it; the two
 * databases alternate, so the local clusters' drift falls on both. Prints each join's
 * time, the medians, and PostgreSQL's as a ratio of SQLite's.
 */
import {
  LocalPostgres,
  resetIstio,
  startLocalPostgres,
  stopLocalPostgres,
  up,
} from '@istio-mesh/local-clusters';
import {
  createRootCa,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendProcess,
  logOf,
} from '../packages/backend/src/__testUtils__/backendProcess';
import { joinThroughLibrary } from '../packages/backend/src/__testUtils__/libraryJoin';
import { startProductionSignIn } from '../packages/backend/src/__testUtils__/productionSignIn';
import { runWithBackend, timed } from './timing';

const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function joinWest(options: {
  name: string;
  work: string;
  rootCaDir: string;
  production?: {
    postgres: LocalPostgres;
    signIn: Awaited<ReturnType<typeof startProductionSignIn>>;
  };
}): Promise<number> {
  await resetIstio('west');
  const { production, ...rest } = options;
  const signedIn = production?.signIn.next();
  const backend = await BackendProcess.create({
    ...rest,
    port: signedIn?.port,
    production: production &&
      signedIn && { postgres: production.postgres, oidc: signedIn.oidc },
  });
  await backend.start();
  try {
    let id = '';
    const ms = await timed(async () => {
      id = await backend.startTask('add-cluster-to-mesh', {
        cluster: 'resource:default/west',
        meshId: 'mesh1',
        verifyTraffic: false,
      });
      await backend.waitForEvents(
        id,
        events => events.some(e => e.type === 'completion'),
        600,
      );
    });
    const status = await backend.taskStatus(id);
    if (status !== 'completed')
      throw new Error(
        `join on ${options.name} ${status}:\n${logOf(
          await backend.events(id),
        )}`,
      );
    return ms;
  } finally {
    await backend.stop();
  }
}

async function main() {
  await up(3);
  const work = mkdtempSync(join(tmpdir(), 'bench-database-'));
  const rootCaDir = join(work, 'root');
  let postgres: LocalPostgres | undefined;
  let signIn: Awaited<ReturnType<typeof startProductionSignIn>> | undefined;
  try {
    await writeRootCaDir(rootCaDir, await createRootCa());
    await Promise.all(['east', 'west'].map(resetIstio));
    await joinThroughLibrary({
      clusters: ['east'],
      rootCaDir,
      holder: 'bench:database',
    });
    postgres = await startLocalPostgres();
    signIn = await startProductionSignIn(ROUNDS);
    const sqlite: number[] = [];
    const pg: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      sqlite.push(await joinWest({ name: `sqlite-${round}`, work, rootCaDir }));
      pg.push(
        await joinWest({
          name: `postgres-${round}`,
          work,
          rootCaDir,
          production: { postgres, signIn },
        }),
      );
      process.stdout.write(
        `round ${round + 1}: SQLite ${(sqlite[round] / 1000).toFixed(
          1,
        )} s, PostgreSQL ${(pg[round] / 1000).toFixed(1)} s\n`,
      );
    }
    const [s, p] = [median(sqlite), median(pg)];
    process.stdout.write(
      `join of west through the backend's REST API, median of ${ROUNDS}: SQLite ${(
        s / 1000
      ).toFixed(1)} s, PostgreSQL ${(p / 1000).toFixed(1)} s, ratio ${(
        p / s
      ).toFixed(2)}\n`,
    );
  } finally {
    if (postgres) await stopLocalPostgres(postgres);
    await signIn?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

runWithBackend(main);
