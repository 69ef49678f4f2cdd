import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths';
import { isRunning } from '../processes';
import {
  LocalPostgres,
  startLocalPostgres,
  stopLocalPostgres,
} from './localPostgres';
import { shellExports } from '../shellExports';

/** Where `yarn postgres up` keeps what `env` and `down` need; gitignored, owner-only. */
const stateDir = join(repoRoot, '.postgres');
const stateFile = join(stateDir, 'state.json');

function running(): LocalPostgres | undefined {
  if (!existsSync(stateFile)) return undefined;
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as LocalPostgres;
  return isRunning(state.pid) ? state : undefined;
}

async function up(): Promise<LocalPostgres> {
  const current = running();
  if (current) return current;
  const postgres = await startLocalPostgres();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(stateFile, JSON.stringify(postgres), { mode: 0o600 });
  return postgres;
}

async function down() {
  const current = running();
  if (current) await stopLocalPostgres(current);
  rmSync(stateDir, { recursive: true, force: true });
}

/** The variables app-config.production.yaml reads, as shell exports. */
function exports(postgres: LocalPostgres): string {
  return shellExports({
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    POSTGRES_CA_CERT: postgres.caCertPem,
  });
}

/**
 * `yarn postgres up | env | down`: a local PostgreSQL for running the portal as
 * production does. `env` prints the exports app-config.production.yaml needs.
 */
export function run(): void {
  const [command] = process.argv.slice(2);
  const fail = (e: Error) => {
    process.stderr.write(`postgres ${command}: ${e.message}\n`);
    process.exitCode = 1;
  };
  switch (command) {
    case 'up':
      up().then(
        p => process.stderr.write(`PostgreSQL on ${p.host}:${p.port}\n`),
        fail,
      );
      break;
    case 'env': {
      const current = running();
      if (current) process.stdout.write(exports(current));
      else fail(new Error('not running; run yarn postgres up first'));
      break;
    }
    case 'down':
      down().catch(fail);
      break;
    default:
      process.stderr.write('usage: yarn postgres up | env | down\n');
      process.exitCode = 2;
  }
}
