import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { Binaries, kubeconfigPath } from '@istio-mesh/local-clusters';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A Secret's data in istio-system of the cluster, decoded. */
export async function secretData(kc: KubeConfig, name: string) {
  const s = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({
    name,
    namespace: 'istio-system',
  });
  return Object.fromEntries(
    Object.entries(s.data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
}

export async function helmReleases(bins: Binaries, context: string) {
  const { stdout } = await run(bins.helm, [
    'list',
    '--all',
    '-n',
    'istio-system',
    '-o',
    'json',
    '--kubeconfig',
    kubeconfigPath,
    '--kube-context',
    context,
  ]);
  return JSON.parse(stdout) as {
    name: string;
    status: string;
    chart: string;
    revision: string;
  }[];
}

export async function helmValues(
  bins: Binaries,
  context: string,
  release: string,
) {
  const { stdout } = await run(bins.helm, [
    'get',
    'values',
    release,
    '-n',
    'istio-system',
    '-o',
    'json',
    '--kubeconfig',
    kubeconfigPath,
    '--kube-context',
    context,
  ]);
  return JSON.parse(stdout);
}

/**
 * The annotation of the ConfigMap locks a running istiod renews for its leader
 * elections: istiod's writes, not ours.
 */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

/**
 * Every object a join touches in a cluster, as name → resourceVersion, plus the helm
 * revisions: equal snapshots mean nothing was written in between.
 */
export async function snapshot(
  bins: Binaries,
  kc: KubeConfig,
  context: string,
) {
  const core = kc.makeApiClient(CoreV1Api);
  const ns = 'istio-system';
  const versions: Record<string, string | undefined> = {};
  const namespaces = await core.listNamespace();
  for (const n of namespaces.items) {
    versions[`Namespace/${n.metadata!.name}`] = n.metadata!.resourceVersion;
  }
  if (!namespaces.items.some(n => n.metadata!.name === ns)) return versions;
  const lists = await Promise.all([
    core.listNamespacedSecret({ namespace: ns }),
    core.listNamespacedConfigMap({ namespace: ns }),
    core.listNamespacedService({ namespace: ns }),
    core.listNamespacedServiceAccount({ namespace: ns }),
    kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: ns }),
  ]);
  for (const [i, list] of lists.entries()) {
    for (const o of list.items) {
      if (o.metadata!.annotations?.[LEADER_ANNOTATION]) continue;
      versions[`${i}/${o.metadata!.name}`] = o.metadata!.resourceVersion;
    }
  }
  try {
    const gw = await kc
      .makeApiClient(CustomObjectsApi)
      .listNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: ns,
        plural: 'gateways',
      });
    for (const o of (
      gw as { items: { metadata: { name: string; resourceVersion: string } }[] }
    ).items) {
      versions[`Gateway/${o.metadata.name}`] = o.metadata.resourceVersion;
    }
  } catch {
    // no Gateway CRD yet
  }
  for (const r of await helmReleases(bins, context)) {
    versions[`helm/${r.name}`] = r.revision;
  }
  return versions;
}
