import {
  appConfigFragmentPath,
  freePort,
  OidcAccount,
  signInThroughOidc,
} from '@istio-mesh/local-clusters';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../../..');
const backendDir = join(repoRoot, 'packages/backend');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A process killed by a signal has no exit code, only that signal. */
function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export interface TaskEvent {
  id: number;
  type: string;
  body: { message?: string; status?: string };
}

export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The CA the server's TLS certificate chains to. */
  caCertPem: string;
}

/** How a production backend signs people in: the local issuer, and its client. */
export interface OidcSettings {
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  /** Who this backend's requests are made as, unless a call names someone else. */
  account: OidcAccount;
}

/**
 * The portal's backend (packages/backend) as its own process, as a deployment runs
 * it: app-config.yaml, the local clusters' fragment, and this test's overrides. Given
 * a PostgreSQL and an OIDC issuer, it runs as production does: NODE_ENV=production,
 * app-config.production.yaml with the connection and the issuer in its environment
 * variables, people signed in through the issuer. Without them, it runs as
 * development does: app-config.development.yaml, guest sign-in, SQLite in memory.
 */
export class BackendProcess {
  private child?: ChildProcess;
  /**
   * The status reader's external access token in production (MESH_STATUS_TOKEN in
   * app-config.production.yaml), as a monitoring job would be given it.
   */
  readonly statusToken = randomBytes(24).toString('base64url');

  private constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly configFiles: string[],
    private readonly logFile: string,
    private readonly production?: {
      postgres: PostgresConnection;
      oidc: OidcSettings;
    },
  ) {}

  static async create(options: {
    name: string;
    work: string;
    production?: { postgres: PostgresConnection; oidc: OidcSettings };
    rootCaDir: string;
    /** Where its log goes; by default beside its config in work. */
    logDir?: string;
    /** Its port, when the issuer must know its callback before it starts. */
    port?: number;
    /** Settings loaded after every other config file, as a deployment's own would be. */
    config?: Record<string, unknown>;
  }): Promise<BackendProcess> {
    const port = options.port ?? (await freePort());
    const baseUrl = `http://127.0.0.1:${port}`;
    const dir = join(options.work, options.name);
    mkdirSync(join(dir, 'tasks'), { recursive: true });
    const configFile = join(dir, 'app-config.test.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        backend: {
          baseUrl,
          listen: { host: '127.0.0.1', port },
          workingDirectory: join(dir, 'tasks'),
        },
        istioMesh: { rootCa: { type: 'file', directory: options.rootCaDir } },
      }),
    );
    const configFiles = [configFile];
    if (options.config) {
      const overrides = join(dir, 'app-config.overrides.json');
      writeFileSync(overrides, JSON.stringify(options.config));
      configFiles.push(overrides);
    }
    return new BackendProcess(
      options.name,
      baseUrl,
      configFiles,
      join(options.logDir ?? dir, `${options.name}.log`),
      options.production,
    );
  }

  /** Starts the process and waits until the catalog serves the mesh templates. */
  async start() {
    const log = openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      [
        ...['--require', '@backstage/cli/config/nodeTransform.cjs'],
        'src/index.ts',
        ...['--config', join(repoRoot, 'app-config.yaml')],
        ...['--config', appConfigFragmentPath],
        ...[
          '--config',
          join(
            repoRoot,
            this.production
              ? 'app-config.production.yaml'
              : 'app-config.development.yaml',
          ),
        ],
        ...this.configFiles.flatMap(f => ['--config', f]),
      ],
      {
        cwd: backendDir,
        detached: true,
        env: {
          ...process.env,
          // Guest sign-in answers in development only.
          NODE_ENV: this.production ? 'production' : 'development',
          ...(this.production && {
            POSTGRES_HOST: this.production.postgres.host,
            POSTGRES_PORT: String(this.production.postgres.port),
            POSTGRES_USER: this.production.postgres.user,
            POSTGRES_PASSWORD: this.production.postgres.password,
            POSTGRES_CA_CERT: this.production.postgres.caCertPem,
            OIDC_METADATA_URL: this.production.oidc.metadataUrl,
            OIDC_CLIENT_ID: this.production.oidc.clientId,
            OIDC_CLIENT_SECRET: this.production.oidc.clientSecret,
            AUTH_SESSION_SECRET: this.production.oidc.sessionSecret,
            MESH_STATUS_TOKEN: this.statusToken,
          }),
        },
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    await this.waitFor(
      'the Add cluster to mesh template in the catalog',
      async () =>
        (
          await this.get(
            '/api/catalog/entities/by-name/template/default/add-cluster-to-mesh',
          )
        ).ok,
      180,
    );
  }

  /** Kills the process without warning, as a node failure or an OOM kill would. */
  async kill() {
    const child = this.child;
    if (!child?.pid || exited(child)) return;
    const gone = new Promise(r => child.once('exit', r));
    process.kill(-child.pid, 'SIGKILL');
    await gone;
  }

  /**
   * Stops the backend's own process from running, as a frozen container or a machine
   * that stops scheduling it would, without closing anything it has open; helm it
   * started runs on.
   */
  freeze() {
    process.kill(this.child!.pid!, 'SIGSTOP');
  }

  /** Lets a frozen backend run again, from where it stopped. */
  thaw() {
    if (this.child?.pid && !exited(this.child))
      process.kill(this.child.pid, 'SIGCONT');
  }

  /** Stops the process as a deployment's rollout would. */
  async stop() {
    const child = this.child;
    if (!child?.pid || exited(child)) return;
    const gone = new Promise(r => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    // A frozen process takes the signal once it runs again.
    this.thaw();
    await Promise.race([gone, sleep(15_000)]);
    if (!exited(child)) await this.kill();
  }

  async get(path: string, as?: OidcAccount): Promise<Response> {
    return this.request(path, {}, as);
  }

  /** A request to the backend, as the backend's account or as `as`. */
  async request(
    path: string,
    init: RequestInit = {},
    as?: OidcAccount,
  ): Promise<Response> {
    return this.requestWithToken(path, await this.userToken(as), init);
  }

  /** A request carrying `token` as its bearer, or no credentials at all. */
  async requestWithToken(
    path: string,
    token: string | undefined,
    init: RequestInit = {},
  ): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.headers ?? {}),
        ...(token && { authorization: `Bearer ${token}` }),
      },
    });
  }

  /** Starts a task from one of the project's templates; its id. */
  async startTask(
    template: string,
    values: Record<string, unknown>,
    as?: OidcAccount,
  ): Promise<string> {
    const res = await this.request(
      '/api/scaffolder/v2/tasks',
      {
        method: 'POST',
        body: JSON.stringify({
          templateRef: `template:default/${template}`,
          values,
        }),
      },
      as,
    );
    if (!res.ok)
      throw new Error(`${this.name}: task not created: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }

  /** The task's status as the scaffolder stores it: processing, completed, failed… */
  async taskStatus(taskId: string): Promise<string> {
    const res = await this.get(`/api/scaffolder/v2/tasks/${taskId}`);
    return ((await res.json()) as { status: string }).status;
  }

  async events(taskId: string): Promise<TaskEvent[]> {
    const res = await this.get(`/api/scaffolder/v2/tasks/${taskId}/events`);
    return (await res.json()) as TaskEvent[];
  }

  /** The task's events, once until holds for them. */
  async waitForEvents(
    taskId: string,
    until: (events: TaskEvent[]) => boolean,
    seconds: number,
  ): Promise<TaskEvent[]> {
    let events: TaskEvent[] = [];
    await this.waitFor(
      `task ${taskId}`,
      async () => until((events = await this.events(taskId))),
      seconds,
    );
    return events;
  }

  private readonly tokens = new Map<string, string>();

  /** A token of the account's, signed in as a person signs in; guest in development. */
  private async userToken(as?: OidcAccount): Promise<string> {
    const account = as ?? this.production?.oidc.account;
    const key = account?.login ?? 'guest';
    let token = this.tokens.get(key);
    if (!token) {
      if (account) {
        token = await signInThroughOidc(this.baseUrl, account);
      } else {
        const res = await fetch(
          `${this.baseUrl}/api/auth/guest/refresh?env=development`,
          { headers: { 'x-requested-with': 'XMLHttpRequest' } },
        );
        const body = (await res.json()) as {
          backstageIdentity: { token: string };
        };
        token = body.backstageIdentity.token;
      }
      this.tokens.set(key, token);
    }
    return token;
  }

  private async waitFor(
    what: string,
    check: () => Promise<boolean>,
    seconds: number,
  ) {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      if (this.child && exited(this.child))
        throw new Error(
          `backend ${this.name} exited (${
            this.child.exitCode ?? this.child.signalCode
          }); see ${this.logFile}`,
        );
      if (await check().catch(() => false)) return;
      await sleep(500);
    }
    throw new Error(
      `backend ${this.name}: no ${what} within ${seconds}s; see ${this.logFile}`,
    );
  }
}

export function logOf(events: TaskEvent[]): string {
  return events
    .filter(e => e.type === 'log')
    .map(e => e.body.message ?? '')
    .join('\n');
}
