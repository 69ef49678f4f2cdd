import { appConfigFragmentPath, freePort } from '@istio-mesh/local-clusters';
import { ChildProcess, spawn } from 'node:child_process';
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

/**
 * The portal's backend (packages/backend) as its own process, as a deployment runs
 * it: app-config.yaml, the local clusters' fragment, and this test's overrides; given a
 * PostgreSQL, also app-config.production.yaml with the connection in its environment
 * variables, and without one, app-config.yaml's SQLite in memory.
 */
export class BackendProcess {
  private child?: ChildProcess;
  private token?: string;

  private constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly configFile: string,
    private readonly logFile: string,
    private readonly postgres?: PostgresConnection,
  ) {}

  static async create(options: {
    name: string;
    work: string;
    postgres?: PostgresConnection;
    rootCaDir: string;
    /** Where its log goes; by default beside its config in work. */
    logDir?: string;
  }): Promise<BackendProcess> {
    const port = await freePort();
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
    return new BackendProcess(
      options.name,
      baseUrl,
      configFile,
      join(options.logDir ?? dir, `${options.name}.log`),
      options.postgres,
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
        ...(this.postgres
          ? ['--config', join(repoRoot, 'app-config.production.yaml')]
          : []),
        ...['--config', this.configFile],
      ],
      {
        cwd: backendDir,
        detached: true,
        // The guest sign-in these tests use is for development only.
        env: {
          ...process.env,
          NODE_ENV: 'development',
          ...(this.postgres && {
            POSTGRES_HOST: this.postgres.host,
            POSTGRES_PORT: String(this.postgres.port),
            POSTGRES_USER: this.postgres.user,
            POSTGRES_PASSWORD: this.postgres.password,
            POSTGRES_CA_CERT: this.postgres.caCertPem,
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

  /** Stops the process as a deployment's rollout would. */
  async stop() {
    const child = this.child;
    if (!child?.pid || exited(child)) return;
    const gone = new Promise(r => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([gone, sleep(15_000)]);
    if (!exited(child)) await this.kill();
  }

  async get(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${await this.userToken()}` },
    });
  }

  /** Starts a task from one of the project's templates; its id. */
  async startTask(
    template: string,
    values: Record<string, unknown>,
  ): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await this.userToken()}`,
      },
      body: JSON.stringify({
        templateRef: `template:default/${template}`,
        values,
      }),
    });
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

  private async userToken(): Promise<string> {
    if (!this.token) {
      const res = await fetch(
        `${this.baseUrl}/api/auth/guest/refresh?env=development`,
        { headers: { 'x-requested-with': 'XMLHttpRequest' } },
      );
      const body = (await res.json()) as {
        backstageIdentity: { token: string };
      };
      this.token = body.backstageIdentity.token;
    }
    return this.token;
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
