import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { kubectl, startCluster } from './cluster';
import { deployDemo } from './demo';
import { kubeconfigYaml } from './kubeconfig';
import { runLoadBalancerLoop } from './loadBalancer';
import { runClusterDns } from './clusterDns';
import {
  appConfigFragmentPath,
  kubeconfigPath,
  repoRoot,
  stateDir,
} from './paths';
import {
  isRunning,
  killGroup,
  startDetached,
  stop,
  waitFor,
} from './processes';
import { allPids, readState, runningState, State, writeState } from './state';
import { harnessChartValues } from './chartValues';
import { istiodFiles } from './istiod/paths';
import { runIstiodSupervisor } from './istiod/supervisor';
import { binaries, istioChartVersion } from './toolchain';

const DEFAULT_NAMES = ['east', 'west'];

export function clusterNames(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => DEFAULT_NAMES[i] ?? `cluster${i + 1}`,
  );
}

export async function up(count = 2): Promise<State> {
  const existing = runningState();
  if (existing?.clusters.length === count) {
    const names = existing.clusters.map(c => c.name).join(', ');
    process.stdout.write(`clusters already running: ${names}\n`);
    return existing;
  }
  if (readState()) await down();
  const bins = binaries();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const state: State = { clusters: [] };
  try {
    for (const [index, name] of clusterNames(count).entries()) {
      process.stdout.write(
        `starting cluster ${name} (network network-${name})\n`,
      );
      state.clusters.push(
        await startCluster({ name, network: `network-${name}`, index }, bins),
      );
      writeState(state);
    }
    state.loadBalancerPid = startDetached(
      process.execPath,
      [join(repoRoot, 'tools/clusters/bin/clusters'), 'load-balancer'],
      join(stateDir, 'load-balancer.log'),
      stateDir,
    );
    state.clusterDnsPid = startDetached(
      process.execPath,
      [join(repoRoot, 'tools/clusters/bin/clusters'), 'cluster-dns'],
      join(stateDir, 'cluster-dns.log'),
      stateDir,
    );
    state.istiodSupervisorPid = startDetached(
      process.execPath,
      [join(repoRoot, 'tools/clusters/bin/clusters'), 'istiod-supervisor'],
      join(stateDir, 'istiod-supervisor.log'),
      stateDir,
    );
    writeState(state);
    writeFileSync(
      kubeconfigPath,
      kubeconfigYaml(
        state.clusters.map(c => ({
          name: c.name,
          server: c.server,
          dir: c.dir,
        })),
      ),
      { mode: 0o600 },
    );
    writeFileSync(appConfigFragmentPath, await appConfigFragment(state, bins), {
      mode: 0o600,
    });
  } catch (e) {
    await down();
    throw e;
  }
  process.stdout.write(`clusters up; kubeconfig ${kubeconfigPath}\n`);
  return state;
}

/**
 * The kubernetes plugin's clusters: a read-only ServiceAccount per cluster, with a
 * token Secret the token controller fills. The file is gitignored and mode 0600.
 */
async function appConfigFragment(
  state: State,
  bins: ReturnType<typeof binaries>,
): Promise<string> {
  const clusters = [];
  for (const c of state.clusters) {
    const kubeconfig = join(c.dir, 'kubeconfig');
    kubectl(
      bins,
      kubeconfig,
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: { name: 'backstage', namespace: 'kube-system' },
          },
          {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'kubernetes.io/service-account-token',
            metadata: {
              name: 'backstage-token',
              namespace: 'kube-system',
              annotations: {
                'kubernetes.io/service-account.name': 'backstage',
              },
            },
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'backstage-view' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'view',
            },
            subjects: [
              {
                kind: 'ServiceAccount',
                name: 'backstage',
                namespace: 'kube-system',
              },
            ],
          },
        ],
      }),
    );
    let token = '';
    await waitFor(`the backstage token of cluster ${c.name}`, () => {
      token = kubectl(bins, kubeconfig, [
        'get',
        'secret',
        '-n',
        'kube-system',
        'backstage-token',
        '-o',
        'jsonpath={.data.token}',
      ]);
      return token !== '';
    });
    clusters.push({
      name: c.name,
      url: c.server,
      authProvider: 'serviceAccount',
      serviceAccountToken: Buffer.from(token, 'base64').toString('utf8'),
      caData: readFileSync(join(c.dir, 'ca.crt')).toString('base64'),
    });
  }
  return `${JSON.stringify(
    {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [{ type: 'config', clusters }],
      },
      istioMesh: istioMeshConfig(state, bins),
    },
    null,
    2,
  )}\n`;
}

/**
 * The mesh actions' view of the local clusters: admin credentials, loopback addresses
 * peers can reach, the packaged charts, and the harness's chart values.
 */
export function istioMeshConfig(
  state: State,
  bins: ReturnType<typeof binaries>,
) {
  const b64 = (dir: string, file: string) =>
    readFileSync(join(dir, file)).toString('base64');
  return {
    helm: { binary: bins.helm },
    charts: {
      type: 'directory',
      path: dirname(bins.istioCharts.base),
      version: istioChartVersion(bins),
    },
    rootCa: { type: 'file', directory: join(stateDir, 'mesh-root') },
    lease: { cluster: state.clusters[0]?.name, namespace: 'istio-mesh' },
    clusters: state.clusters.map(c => ({
      name: c.name,
      peerServer: c.server,
      authProvider: 'clientCertificate',
      clientCertificateData: b64(c.dir, 'admin.crt'),
      clientKeyData: b64(c.dir, 'admin.key'),
      chartValues: harnessChartValues(c.istiodPorts),
    })),
  };
}

export async function down(): Promise<void> {
  const state = readState();
  if (state) await stop(allPids(state));
  if (state?.istiodSupervisorPid) await killGroup(state.istiodSupervisorPid);
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(appConfigFragmentPath, { force: true });
}

function status(): number {
  const state = readState();
  if (!state) {
    process.stdout.write('no clusters\n');
    return 1;
  }
  for (const c of state.clusters) {
    const procs = Object.entries(c.pids).map(
      ([n, pid]) => `${n}:${isRunning(pid) ? 'up' : 'DOWN'}`,
    );
    const istiod = existsSync(istiodFiles(c.dir).pid)
      ? `istiod:up http://127.0.0.1:${c.istiodPorts.http}`
      : 'istiod:none';
    process.stdout.write(
      `${c.name} ${c.network} ${c.server} ${procs.join(' ')} ${istiod}\n`,
    );
  }
  return runningState() ? 0 : 1;
}

export function run(): void {
  const [command, arg] = process.argv.slice(2);
  const done = (code: number) => {
    process.exitCode = code;
  };
  const fail = (e: Error) => {
    process.stderr.write(`clusters ${command}: ${e.message}\n`);
    process.exitCode = 1;
  };
  switch (command) {
    case 'up':
      up(arg ? Number(arg) : undefined).then(() => done(0), fail);
      break;
    case 'down':
      down().then(() => done(0), fail);
      break;
    case 'status':
      done(status());
      break;
    case 'demo':
      try {
        deployDemo(binaries());
      } catch (e) {
        fail(e as Error);
      }
      break;
    case 'env':
      process.stdout.write(`export KUBECONFIG=${kubeconfigPath}\n`);
      break;
    case 'load-balancer':
      runLoadBalancerLoop(readState()!.clusters).catch(fail);
      break;
    case 'cluster-dns':
      runClusterDns().catch(fail);
      break;
    case 'istiod-supervisor':
      runIstiodSupervisor(readState()!.clusters, binaries()).catch(fail);
      break;
    default:
      process.stderr.write(
        'usage: yarn clusters up [N] | down | status | env | demo\n',
      );
      done(2);
  }
}
