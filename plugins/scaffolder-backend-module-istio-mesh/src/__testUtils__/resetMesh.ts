import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Binaries } from '@istio-mesh/local-clusters';
import { HelmRunner, RELEASES } from '@istio-mesh/plugin-istio-mesh-node';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Takes Istio off a local cluster that an earlier run left joined: the clusters are
 * reused between runs on a developer's machine.
 */
export async function resetCluster(bins: Binaries, kc: KubeConfig) {
  const helm = new HelmRunner(bins.helm);
  for (const release of [RELEASES.gateway, RELEASES.istiod, RELEASES.base]) {
    await helm.uninstall(kc, release, 'istio-system', 120);
  }
  const core = kc.makeApiClient(CoreV1Api);
  for (const name of ['istio-system', 'istio-mesh']) {
    await core.deleteNamespace({ name }).catch(() => undefined);
  }
  for (let i = 0; i < 240; i++) {
    const names = (await core.listNamespace()).items.map(n => n.metadata!.name);
    if (!names.includes('istio-system') && !names.includes('istio-mesh'))
      return;
    await sleep(500);
  }
  throw new Error('istio-system did not go away within 2 minutes');
}
