import { KubeConfig } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { withKubeconfigFile } from '../clusters/kubeconfigFile';
import { checkFence } from '../clusters/leaseFence';

const run = promisify(execFile);

/** @public */
export interface HelmRelease {
  name: string;
  namespace: string;
  status: string;
  chart: string;
  app_version: string;
  revision: string;
}

/** @public */
export interface HelmInstall {
  release: string;
  namespace: string;
  /** From chartArgs: the chart reference and its version flags. */
  chart: string[];
  values: Record<string, unknown>;
  timeoutSeconds: number;
}

/**
 * Thrown when helm exits non-zero; carries helm's own explanation.
 *
 * @public
 */
export class HelmError extends Error {
  constructor(readonly args: string[], readonly stderr: string) {
    super(`helm ${args[0]} failed: ${stderr.trim().split('\n').pop()}`);
  }
}

/**
 * How much longer than its own --timeout a helm process may run before it is stopped:
 * helm's timeout bounds its wait for resources, not the whole command.
 */
const GRACE_SECONDS = 60;

/**
 * The only environment helm gets: where to find its own files, and the proxies it may
 * need to reach a chart repository. No HELM_* setting, KUBECONFIG or cloud credential
 * of the backend reaches it; the cluster comes from --kubeconfig alone.
 */
export function helmEnvironment(
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR'];
  const proxies = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];
  const env: NodeJS.ProcessEnv = {};
  for (const key of [
    ...keep,
    ...proxies,
    ...proxies.map(p => p.toLowerCase()),
  ]) {
    if (from[key] !== undefined) env[key] = from[key];
  }
  return env;
}

/**
 * A release to act on, and how long helm may wait for the cluster.
 *
 * @public
 */
export interface WaitedRelease {
  name: string;
  namespace: string;
  timeoutSeconds: number;
}

/** @public */
export interface HelmRunnerOptions {
  /** The bound on helm commands that do not wait on the cluster (list, template…). */
  timeoutSeconds: number;
  /** Stops any running helm: the task was cancelled. */
  signal?: AbortSignal;
}

/**
 * The helm CLI, run with a cluster's kubeconfig in a 0600 temp file that is deleted
 * afterwards. Values go in a file beside it, so their types survive (no --set parsing).
 * Every command is bounded in time and stopped by the run's abort signal.
 *
 * @public
 */
export class HelmRunner {
  constructor(
    readonly binary: string,
    readonly options: HelmRunnerOptions = { timeoutSeconds: 300 },
  ) {}

  /** The signals given to withSignal, whose fences are checked before each command. */
  private fenced: AbortSignal[] = [];

  /** The same helm, also stopped when `signal` fires. */
  withSignal(signal: AbortSignal | undefined): HelmRunner {
    if (!signal) return this;
    const signals = [this.options.signal, signal].filter(
      (s): s is AbortSignal => !!s,
    );
    const tied = new HelmRunner(this.binary, {
      ...this.options,
      signal: AbortSignal.any(signals),
    });
    tied.fenced = [...this.fenced, signal];
    return tied;
  }

  async version(): Promise<string> {
    const { stdout } = await this.exec(['version', '--short']);
    return stdout.trim();
  }

  /** The chart's Chart.yaml, read from its source: fails when that version is not there. */
  async showChart(chart: string[]): Promise<string> {
    const { stdout } = await this.exec(['show', 'chart', ...chart]);
    return stdout;
  }

  async upgradeInstall(kc: KubeConfig, install: HelmInstall): Promise<void> {
    await this.withCluster(kc, install.values, (kubeconfig, valuesFile) =>
      this.exec(
        [
          'upgrade',
          '--install',
          install.release,
          ...install.chart,
          '--namespace',
          install.namespace,
          '--kubeconfig',
          kubeconfig,
          '--values',
          valuesFile,
          '--wait',
          '--timeout',
          `${install.timeoutSeconds}s`,
        ],
        install.timeoutSeconds + GRACE_SECONDS,
      ),
    );
  }

  /** What an install would apply, rendered against the cluster's version: the dry run. */
  async template(kc: KubeConfig, install: HelmInstall): Promise<string> {
    const { stdout } = await this.withCluster(
      kc,
      install.values,
      (kubeconfig, valuesFile) =>
        this.exec([
          'template',
          install.release,
          ...install.chart,
          '--namespace',
          install.namespace,
          '--kubeconfig',
          kubeconfig,
          '--values',
          valuesFile,
          '--validate',
        ]),
    );
    return stdout;
  }

  /** Every release in the namespace, in any state, from one helm list. */
  async releases(kc: KubeConfig, namespace: string): Promise<HelmRelease[]> {
    const { stdout } = await this.withCluster(kc, {}, kubeconfig =>
      this.exec([
        'list',
        '--namespace',
        namespace,
        '--all',
        '--output',
        'json',
        '--kubeconfig',
        kubeconfig,
      ]),
    );
    return JSON.parse(stdout) ?? [];
  }

  async releaseValues(
    kc: KubeConfig,
    name: string,
    namespace: string,
  ): Promise<Record<string, unknown>> {
    const { stdout } = await this.withCluster(kc, {}, kubeconfig =>
      this.exec([
        'get',
        'values',
        name,
        '--namespace',
        namespace,
        '--output',
        'json',
        '--kubeconfig',
        kubeconfig,
      ]),
    );
    return JSON.parse(stdout) ?? {};
  }

  async uninstall(kc: KubeConfig, release: WaitedRelease): Promise<void> {
    await this.waitedCommand(kc, ['uninstall', '--ignore-not-found'], release);
  }

  /** helm rollback to the revision before the current one, waiting for it. */
  async rollback(kc: KubeConfig, release: WaitedRelease): Promise<void> {
    await this.waitedCommand(kc, ['rollback'], release);
  }

  /** A release command that waits on the cluster, bounded a little beyond its wait. */
  private async waitedCommand(
    kc: KubeConfig,
    [verb, ...flags]: string[],
    release: WaitedRelease,
  ): Promise<void> {
    const { name, namespace, timeoutSeconds } = release;
    await this.withCluster(kc, {}, kubeconfig =>
      this.exec(
        [
          verb,
          name,
          '--namespace',
          namespace,
          ...flags,
          '--wait',
          '--timeout',
          `${timeoutSeconds}s`,
          '--kubeconfig',
          kubeconfig,
        ],
        timeoutSeconds + GRACE_SECONDS,
      ),
    );
  }

  private withCluster<T>(
    kc: KubeConfig,
    values: Record<string, unknown>,
    fn: (kubeconfig: string, valuesFile: string) => Promise<T>,
  ): Promise<T> {
    return withKubeconfigFile(kc, async kubeconfig => {
      const valuesFile = join(dirname(kubeconfig), 'values.json');
      await writeFile(valuesFile, JSON.stringify(values), { mode: 0o600 });
      return fn(kubeconfig, valuesFile);
    });
  }

  private async exec(args: string[], timeoutSeconds?: number) {
    const seconds = timeoutSeconds ?? this.options.timeoutSeconds;
    const { signal } = this.options;
    try {
      for (const tiedTo of this.fenced) checkFence(tiedTo);
      signal?.throwIfAborted();
      return await run(this.binary, args, {
        maxBuffer: 64 * 1024 * 1024,
        env: helmEnvironment(),
        timeout: seconds * 1000,
        killSignal: 'SIGTERM',
        signal,
      });
    } catch (e) {
      const err = e as {
        stderr?: string;
        code?: string;
        name?: string;
        killed?: boolean;
        message: string;
      };
      if (err.code === 'ENOENT') {
        throw new HelmError(
          args,
          `helm binary "${this.binary}" not found; set istioMesh.helm.binary`,
        );
      }
      if (signal?.aborted || err.name === 'AbortError') {
        // A lost Lease says so; a cancelled task aborts with a bare AbortError.
        const reason: unknown = signal?.reason;
        throw new HelmError(
          args,
          reason instanceof Error && reason.name !== 'AbortError'
            ? `stopped: ${reason.message}`
            : 'stopped: the task was cancelled',
        );
      }
      if (err.killed) {
        throw new HelmError(
          args,
          `stopped after ${seconds}s without finishing; raise istioMesh.timeouts.helmSeconds if the cluster is slow`,
        );
      }
      throw new HelmError(args, err.stderr || err.message);
    }
  }
}
