import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kubeconfigPath } from '../paths';
import { binaries } from '../toolchain';
import { kubeConfigFor } from './clusters';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Takes Istio off a local cluster that an earlier run left joined: the clusters are
 * reused between runs on a developer's machine.
 */
export async function resetIstio(context: string): Promise<void> {
  const bins = binaries();
  for (const release of ['istio-eastwestgateway', 'istiod', 'istio-base']) {
    await run(bins.helm, [
      'uninstall',
      release,
      '--namespace',
      'istio-system',
      '--ignore-not-found',
      '--wait',
      '--kubeconfig',
      kubeconfigPath,
      '--kube-context',
      context,
    ]);
  }
  const core = kubeConfigFor(context).makeApiClient(CoreV1Api);
  for (const name of ['istio-system', 'istio-mesh']) {
    await core.deleteNamespace({ name }).catch(() => undefined);
  }
  for (let i = 0; i < 240; i++) {
    const names = (await core.listNamespace()).items.map(n => n.metadata!.name);
    if (!names.includes('istio-system') && !names.includes('istio-mesh'))
      return;
    await sleep(500);
  }
  throw new Error(
    `istio-system in ${context} did not go away within 2 minutes`,
  );
}
