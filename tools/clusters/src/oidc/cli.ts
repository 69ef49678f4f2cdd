import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths';
import { freePort } from '../ports';
import { isRunning, startDetached, stop, waitFor } from '../processes';
import { demoAccounts, OidcAccount } from './accounts';
import { IssuerOptions } from './issuerProcess';
import { startLocalOidc } from './localOidc';
import { shellExports } from '../shellExports';

/** Where `yarn oidc up` keeps what `env`, `down` and the server need; gitignored, owner-only. */
const stateDir = join(repoRoot, '.oidc');
const stateFile = join(stateDir, 'state.json');

/** The portal's backend as `./scripts/start --postgres` serves it. */
const PORTAL_CALLBACK = 'http://localhost:7007/api/auth/oidc/handler/frame';

interface OidcState {
  port: number;
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  accounts: OidcAccount[];
  pid?: number;
}

function readState(): OidcState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as OidcState;
}

const running = () => {
  const state = readState();
  return state?.pid && isRunning(state.pid) ? state : undefined;
};

const metadataUrl = (s: OidcState) =>
  `http://127.0.0.1:${s.port}/.well-known/openid-configuration`;

async function up(): Promise<OidcState> {
  const current = running();
  if (current) return current;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const state: OidcState = {
    port: await freePort(),
    clientId: 'istio-mesh-portal',
    clientSecret: randomBytes(24).toString('base64url'),
    sessionSecret: randomBytes(24).toString('base64url'),
    accounts: demoAccounts(),
  };
  writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  state.pid = startDetached(
    process.execPath,
    [join(repoRoot, 'tools/clusters/bin/oidc'), 'serve'],
    join(stateDir, 'issuer.log'),
    repoRoot,
  );
  writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  await waitFor(
    `the local OIDC issuer (see ${join(stateDir, 'issuer.log')})`,
    async () =>
      (await fetch(metadataUrl(state)).catch(() => undefined))?.ok ?? false,
    30_000,
  );
  return state;
}

/** Serves the issuer in the foreground: from the options file given, else from the state. */
async function serve(file?: string) {
  if (file) {
    await startLocalOidc(
      JSON.parse(readFileSync(file, 'utf8')) as IssuerOptions,
    );
    return;
  }
  const state = readState();
  if (!state) throw new Error('no state: run yarn oidc up');
  await startLocalOidc({
    port: state.port,
    accounts: state.accounts,
    clients: [
      {
        clientId: state.clientId,
        clientSecret: state.clientSecret,
        redirectUris: [PORTAL_CALLBACK],
      },
    ],
  });
}

/** The variables app-config.production.yaml reads for sign-in, as shell exports. */
function exports(state: OidcState): string {
  return shellExports({
    OIDC_METADATA_URL: metadataUrl(state),
    OIDC_CLIENT_ID: state.clientId,
    OIDC_CLIENT_SECRET: state.clientSecret,
    AUTH_SESSION_SECRET: state.sessionSecret,
  });
}

/**
 * `yarn oidc up | env | accounts | down`: a local OpenID Connect issuer for running the
 * portal as production does, with the demo catalog's people as its accounts.
 */
export function run(): void {
  const [command] = process.argv.slice(2);
  const fail = (e: Error) => {
    process.stderr.write(`oidc ${command}: ${e.message}\n`);
    process.exitCode = 1;
  };
  const current = () => {
    const state = running();
    if (!state) throw new Error('not running; run yarn oidc up first');
    return state;
  };
  switch (command) {
    case 'up':
      up().then(
        s => process.stderr.write(`OIDC issuer on 127.0.0.1:${s.port}\n`),
        fail,
      );
      break;
    case 'serve':
      serve(process.argv[3]).catch(fail);
      break;
    case 'env':
      try {
        process.stdout.write(exports(current()));
      } catch (e) {
        fail(e as Error);
      }
      break;
    case 'accounts':
      try {
        for (const a of current().accounts) {
          process.stdout.write(`${a.login} / ${a.password} (${a.email})\n`);
        }
      } catch (e) {
        fail(e as Error);
      }
      break;
    case 'down': {
      const state = readState();
      (state?.pid ? stop([state.pid]) : Promise.resolve())
        .then(() => rmSync(stateDir, { recursive: true, force: true }))
        .catch(fail);
      break;
    }
    default:
      process.stderr.write('usage: yarn oidc up | env | accounts | down\n');
      process.exitCode = 2;
  }
}
