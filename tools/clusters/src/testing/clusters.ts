import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  V1PolicyRule,
} from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterState, startApiServer } from '../cluster';
import { stop } from '../processes';
import { allPids, readState, State, writeState } from '../state';
import { istiodFiles } from '../istiod/paths';
import { standinPids } from '../sidecars/paths';
import { binaries } from '../toolchain';
import { kubeconfigPath, stateDir } from '../paths';

/** The running clusters, for integration tests. */
export function runningClusters(): ClusterState[] {
  return JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'))
    .clusters;
}

/** Every process the harness runs, the local istiods and stand-in sidecars included. */
export function harnessPids(): number[] {
  const state = readState()!;
  const istiods = state.clusters
    .map(c => istiodFiles(c.dir).pid)
    .filter(existsSync)
    .map(file => Number(readFileSync(file, 'utf8')));
  const standins = state.clusters.flatMap(c => standinPids(c.dir));
  return [...allPids(state), ...istiods, ...standins];
}

export function kubeConfigFor(context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}

/** The remote secrets in a cluster's istio-system, by name, sorted. */
export async function remoteSecretNames(context: string): Promise<string[]> {
  const { items } = await kubeConfigFor(context)
    .makeApiClient(CoreV1Api)
    .listNamespacedSecret({
      namespace: 'istio-system',
      labelSelector: 'istio/multiCluster=true',
    });
  return items.map(s => s.metadata!.name!).sort();
}

/** TCP connections held by the given processes to anything but loopback. */
export function offLoopbackConnections(pids: number[]): string[] {
  const out = execFileSync('ss', ['-tnpH'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(line => pids.some(pid => line.includes(`pid=${pid},`)))
    .filter(line => {
      const peer = line.trim().split(/\s+/)[4] ?? '';
      return !/^(127\.|\[::1\]|\[::ffff:127\.)/.test(peer);
    });
}

function clusterNamed(state: State, name: string): ClusterState {
  const cluster = state.clusters.find(c => c.name === name);
  if (!cluster) throw new Error(`no local cluster named ${name}`);
  return cluster;
}

/** Stops a cluster's API server, as an outage would; its other processes keep running. */
export async function stopApiServer(name: string): Promise<void> {
  const cluster = clusterNamed(readState()!, name);
  await stop([cluster.pids.apiserver]);
}

/** Starts a stopped API server again, on the same port with the same data. */
export async function restartApiServer(name: string): Promise<void> {
  const state = readState()!;
  const cluster = clusterNamed(state, name);
  await startApiServer(cluster, binaries());
  writeState(state);
}

/** The HTTP address of a cluster's local istiod, where /debug/* answers. */
export function istiodDebugUrl(name: string): string {
  const cluster = clusterNamed(readState()!, name);
  return `http://127.0.0.1:${cluster.istiodPorts.http}`;
}

/** The log of a cluster's local istiod since it last started. */
export function istiodLog(name: string): string {
  const cluster = clusterNamed(readState()!, name);
  const { log } = istiodFiles(cluster.dir);
  return existsSync(log) ? readFileSync(log, 'utf8') : '';
}

/** A file of a cluster's local istiod's mounts, as istiod reads it, or undefined. */
export function istiodMountedFile(name: string, path: string) {
  const cluster = clusterNamed(readState()!, name);
  const file = join(istiodFiles(cluster.dir).root, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Scales a cluster's istiod Deployment, as `kubectl scale` would; 0 stops the local istiod. */
export async function scaleIstiod(context: string, replicas: number) {
  const apps = kubeConfigFor(context).makeApiClient(AppsV1Api);
  const istiod = await apps.readNamespacedDeployment({
    name: 'istiod',
    namespace: 'istio-system',
  });
  istiod.spec!.replicas = replicas;
  await apps.replaceNamespacedDeployment({
    name: 'istiod',
    namespace: 'istio-system',
    body: istiod,
  });
}

/** Waits until a cluster's local istiod answers on its debug port, or stops answering. */
export async function waitForIstiod(context: string, answering: boolean) {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${istiodDebugUrl(context)}/debug/clusterz`)
      .then(r => r.ok)
      .catch(() => false);
    if (ok === answering) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `istiod of ${context} still ${answering ? 'silent' : 'answers'} after 60 s`,
  );
}

/**
 * Sets or, with no network, removes the topology.istio.io/network label of a
 * cluster's east-west gateway Service, as `kubectl label` does: how a test breaks and
 * mends istiod's knowledge of that network's gateway.
 */
export function setGatewayNetworkLabel(context: string, network?: string) {
  const label = 'topology.istio.io/network';
  execFileSync(binaries().kubectl, [
    ...['--kubeconfig', kubeconfigPath, '--context', context],
    ...['label', '--overwrite', 'service', 'istio-eastwestgateway'],
    ...['-n', 'istio-system', network ? `${label}=${network}` : `${label}-`],
  ]);
}

/**
 * Signs in as a ServiceAccount of a cluster, made for the test with only the rights
 * given: `rules` in its namespace, `clusterRules` cluster-wide, or an existing
 * `clusterRole`. Gives a ten-minute token, a KubeConfig that uses it, and `revoke`,
 * which deletes the cluster-wide grants (the namespaced ones go with the namespace).
 */
export async function serviceAccountAccess(
  context: string,
  account: { name: string; namespace: string },
  grants: {
    rules?: V1PolicyRule[];
    clusterRules?: V1PolicyRule[];
    clusterRole?: string;
  } = {},
): Promise<{ token: string; kubeConfig: KubeConfig; revoke(): Promise<void> }> {
  const admin = kubeConfigFor(context);
  const core = admin.makeApiClient(CoreV1Api);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const { name, namespace } = account;
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  const roleRef = (kind: string, role: string) => ({
    apiGroup: 'rbac.authorization.k8s.io',
    kind,
    name: role,
  });
  const clusterWide = `${namespace}-${name}`;
  await core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name } },
  });
  if (grants.rules) {
    await rbac.createNamespacedRole({
      namespace,
      body: { metadata: { name }, rules: grants.rules },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: { metadata: { name }, roleRef: roleRef('Role', name), subjects },
    });
  }
  if (grants.clusterRules) {
    await rbac.createClusterRole({
      body: { metadata: { name: clusterWide }, rules: grants.clusterRules },
    });
  }
  const clusterRole =
    grants.clusterRole ?? (grants.clusterRules ? clusterWide : undefined);
  if (clusterRole) {
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: clusterWide },
        roleRef: roleRef('ClusterRole', clusterRole),
        subjects,
      },
    });
  }
  const { status } = await core.createNamespacedServiceAccountToken({
    ...account,
    body: { spec: { audiences: [], expirationSeconds: 600 } },
  });
  const token = status!.token!;
  const cluster = admin.getCurrentCluster()!;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name, token }],
    contexts: [{ name, cluster: cluster.name, user: name }],
    currentContext: name,
  });
  return {
    token,
    kubeConfig,
    async revoke() {
      const gone = () => undefined;
      if (clusterRole) {
        await rbac.deleteClusterRoleBinding({ name: clusterWide }).catch(gone);
      }
      if (grants.clusterRules) {
        await rbac.deleteClusterRole({ name: clusterWide }).catch(gone);
      }
      await core.deleteNamespacedServiceAccount(account).catch(gone);
    },
  };
}
