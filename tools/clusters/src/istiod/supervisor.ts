import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  V1Deployment,
} from '@kubernetes/client-node';
import { ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ClusterState } from '../cluster';
import { CLUSTER_DNS_ADDRESS } from '../clusterDns';
import { sleep } from '../processes';
import { IstiodLaunch, istiodLaunch, MountedVolume } from './launch';
import { istiodFiles } from './paths';
import { writeVolume } from './atomicVolume';
import { confinedPath } from './confinedPath';
import { clearStandins, ClusterStandins } from '../sidecars/standins';

const ISTIOD_NAMESPACE = 'istio-system';
const ISTIOD_DEPLOYMENT = 'istiod';
/** The token lives an hour; the file is renewed well before, as the kubelet renews projected tokens. */
const TOKEN_SECONDS = 3600;
const TOKEN_RENEW_MS = 10 * 60_000;

interface Instance {
  key: string;
  child: ChildProcess;
  exited: boolean;
}

interface ClusterWatch {
  cluster: ClusterState;
  apps: AppsV1Api;
  core: CoreV1Api;
  instance?: Instance;
  mounted: Map<string, string>;
  tokenAt: number;
  lastStart: number;
  standins: ClusterStandins;
}

/**
 * Plays the kubelet's part for the istiod Deployment the chart installs: while the
 * Deployment exists in a cluster, one pilot-discovery runs as a local process with the
 * Deployment's args and env, its Secret and ConfigMap mounts written out (cacerts as
 * istiod's plugged-in CA files), and the istiod ServiceAccount's token; it restarts when
 * the Deployment's pod template changes (a rollout restart included) and stops when the
 * Deployment goes or is scaled to zero. While it runs, every pod it injected gets a
 * stand-in sidecar (../sidecars/standins.ts).
 */
export async function runIstiodSupervisor(
  clusters: ClusterState[],
  binaries: { pilotDiscovery: string; xdsStandin: string },
): Promise<never> {
  const { pilotDiscovery } = binaries;
  const watches: ClusterWatch[] = clusters.map(cluster => {
    const kc = new KubeConfig();
    kc.loadFromFile(join(cluster.dir, 'kubeconfig'));
    const core = kc.makeApiClient(CoreV1Api);
    clearStandins(cluster.dir);
    const watch: ClusterWatch = {
      cluster,
      apps: kc.makeApiClient(AppsV1Api),
      core,
      mounted: new Map(),
      tokenAt: 0,
      lastStart: 0,
      standins: new ClusterStandins(cluster, core, binaries.xdsStandin, m =>
        log(watch, m),
      ),
    };
    return watch;
  });
  const shutdown = async () => {
    await Promise.all(
      watches.map(w => Promise.all([stopInstance(w), w.standins.stopAll()])),
    );
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Each cluster in its own loop: one whose API server is slow or stopped in a fault
  // test delays none of the others.
  return Promise.race(watches.map(w => superviseCluster(w, pilotDiscovery)));
}

async function superviseCluster(
  watch: ClusterWatch,
  pilotDiscovery: string,
): Promise<never> {
  for (;;) {
    try {
      await reconcile(watch, pilotDiscovery);
    } catch (e) {
      // The API server may be starting, stopping or briefly down in a fault test.
      log(watch, `reconcile failed, retrying: ${(e as Error).message}`);
    }
    try {
      await watch.standins.reconcile(
        !!watch.instance && !watch.instance.exited,
      );
    } catch (e) {
      log(
        watch,
        `stand-in sidecars: reconcile failed, retrying: ${
          (e as Error).message
        }`,
      );
    }
    await sleep(1000);
  }
}

async function reconcile(watch: ClusterWatch, pilotDiscovery: string) {
  const deployment = await readDeployment(watch);
  // Scaled to zero, a Deployment has no pods: the way to stop istiod in a real cluster.
  if (!deployment || deployment.spec?.replicas === 0) {
    if (watch.instance) {
      log(
        watch,
        deployment
          ? 'istiod Deployment is scaled to 0; stopping the local istiod'
          : 'istiod Deployment is gone; stopping the local istiod',
      );
      await stopInstance(watch);
    }
    return;
  }
  const files = istiodFiles(watch.cluster.dir);
  const launch = istiodLaunch(
    deployment,
    watch.cluster.istiodPorts,
    files.kubeconfig,
  );
  // The pod template's annotations count too: `kubectl rollout restart` changes only
  // them, and a kubelet then runs a new pod.
  const key = JSON.stringify([
    deployment.metadata!.uid,
    launch.args,
    launch.env,
    deployment.spec?.template.metadata?.annotations ?? {},
  ]);
  if (watch.instance && watch.instance.key !== key) {
    log(watch, 'istiod Deployment changed; restarting the local istiod');
    await stopInstance(watch);
  }
  await writeMounts(watch, launch, files.root);
  await renewToken(watch, launch, files);
  if (watch.instance && !watch.instance.exited) return;
  if (Date.now() - watch.lastStart < 2000) return;
  startInstance(watch, launch, key, pilotDiscovery);
}

async function readDeployment(
  watch: ClusterWatch,
): Promise<V1Deployment | undefined> {
  try {
    return await watch.apps.readNamespacedDeployment({
      name: ISTIOD_DEPLOYMENT,
      namespace: ISTIOD_NAMESPACE,
    });
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

function startInstance(
  watch: ClusterWatch,
  launch: IstiodLaunch,
  key: string,
  pilotDiscovery: string,
) {
  const files = istiodFiles(watch.cluster.dir);
  // Each start gets a fresh log, so what a test reads is this istiod's own story.
  if (existsSync(files.log)) renameSync(files.log, files.previousLog);
  const out = openSync(files.log, 'a');
  writeFileSync(files.resolvConf, `nameserver ${CLUSTER_DNS_ADDRESS}\n`);
  // As a kubelet gives a pod its own /etc/resolv.conf naming the cluster DNS: in a
  // mount namespace of its own, so the machine's resolv.conf is untouched. istiod
  // resolves hostname gateways through the nameservers of /etc/resolv.conf itself.
  // unshare and sh exec in place, so the pid is pilot-discovery's. Without root, a user
  // namespace grants the mount, where the kernel allows unprivileged ones.
  const asRoot = process.getuid?.() === 0;
  const child = spawn(
    'unshare',
    [
      ...(asRoot ? [] : ['--map-root-user']),
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      'mount --bind "$0" /etc/resolv.conf && exec "$@"',
      files.resolvConf,
      pilotDiscovery,
      ...launch.args,
    ],
    {
      cwd: files.root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...launch.env },
      stdio: ['ignore', out, out],
    },
  );
  const instance: Instance = { key, child, exited: false };
  child.on('exit', code => {
    instance.exited = true;
    if (watch.instance === instance)
      log(
        watch,
        `local istiod exited (${code}); see ${
          files.log
        }, which ends: ${lastLines(files.log, 3)}`,
      );
  });
  watch.instance = instance;
  watch.lastStart = Date.now();
  writeFileSync(files.pid, String(child.pid));
  log(
    watch,
    `started local istiod (pid ${child.pid}), debug http://127.0.0.1:${watch.cluster.istiodPorts.http}`,
  );
}

async function stopInstance(watch: ClusterWatch) {
  const instance = watch.instance;
  watch.instance = undefined;
  const files = istiodFiles(watch.cluster.dir);
  if (instance && !instance.exited) {
    const exited = new Promise(r => instance.child.once('exit', r));
    instance.child.kill('SIGTERM');
    const killed = await Promise.race([exited, sleep(5000).then(() => false)]);
    if (killed === false) {
      instance.child.kill('SIGKILL');
      await exited;
    }
  }
  // Mounts hold the cluster's CA key: they live only as long as the process.
  rmSync(files.root, { recursive: true, force: true });
  rmSync(files.pid, { force: true });
  watch.mounted.clear();
  watch.tokenAt = 0;
}

/** Writes each mount as the kubelet would, rewriting only what changed (a rotated cacerts). */
async function writeMounts(
  watch: ClusterWatch,
  launch: IstiodLaunch,
  root: string,
) {
  for (const dir of launch.scratchDirs)
    mkdirSync(confinedPath(root, dir, 'mount path'), {
      recursive: true,
      mode: 0o700,
    });
  for (const volume of launch.volumes) {
    const { data, version } = await readVolume(watch, volume, launch.namespace);
    const dir = confinedPath(root, volume.path, 'mount path');
    if (watch.mounted.get(dir) === version) continue;
    if (data) {
      const items =
        volume.items ?? Object.keys(data).map(key => ({ key, path: key }));
      writeVolume(
        dir,
        Object.fromEntries(
          items
            .filter(item => data[item.key] !== undefined)
            .map(item => [item.path, data[item.key]]),
        ),
      );
      log(watch, `mounted ${volume.kind} ${volume.name} at ./${volume.path}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
    watch.mounted.set(dir, version);
  }
}

/** The volume's data and its resourceVersion; an optional one that is absent has neither. */
async function readVolume(
  watch: ClusterWatch,
  volume: MountedVolume,
  namespace: string,
): Promise<{ data?: Record<string, Buffer>; version: string }> {
  try {
    const source =
      volume.kind === 'Secret'
        ? await watch.core.readNamespacedSecret({
            name: volume.name,
            namespace,
          })
        : await watch.core.readNamespacedConfigMap({
            name: volume.name,
            namespace,
          });
    const encoding = volume.kind === 'Secret' ? 'base64' : 'utf8';
    return {
      version: source.metadata!.resourceVersion!,
      data: Object.fromEntries(
        Object.entries(source.data ?? {}).map(([k, v]) => [
          k,
          Buffer.from(v, encoding),
        ]),
      ),
    };
  } catch (e) {
    if ((e as { code?: number }).code === 404 && volume.optional)
      return { version: '' };
    throw e;
  }
}

/**
 * istiod talks to its cluster as the istiod ServiceAccount, so the chart's RBAC is what
 * it gets. client-go rereads a kubeconfig's tokenFile, so renewing the file is enough.
 */
async function renewToken(
  watch: ClusterWatch,
  launch: IstiodLaunch,
  files: ReturnType<typeof istiodFiles>,
) {
  if (Date.now() - watch.tokenAt < TOKEN_RENEW_MS) return;
  const request = await watch.core.createNamespacedServiceAccountToken({
    name: launch.serviceAccount,
    namespace: launch.namespace,
    body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
  });
  mkdirSync(files.root, { recursive: true, mode: 0o700 });
  atomicWrite(files.token, Buffer.from(request.status!.token!));
  atomicWrite(
    files.kubeconfig,
    Buffer.from(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': watch.cluster.name,
        clusters: [
          {
            name: watch.cluster.name,
            cluster: {
              server: watch.cluster.server,
              'certificate-authority-data': readFileSync(
                join(watch.cluster.dir, 'ca.crt'),
              ).toString('base64'),
            },
          },
        ],
        users: [{ name: 'istiod', user: { tokenFile: files.token } }],
        contexts: [
          {
            name: watch.cluster.name,
            context: { cluster: watch.cluster.name, user: 'istiod' },
          },
        ],
      }),
    ),
  );
  watch.tokenAt = Date.now();
}

function atomicWrite(file: string, data: Buffer) {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

function lastLines(file: string, count: number): string {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(-count)
    .join(' | ');
}

function log(watch: ClusterWatch, message: string) {
  process.stdout.write(
    `${new Date().toISOString()} cluster ${watch.cluster.name}: ${message}\n`,
  );
}
