import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kubeconfigPath } from '../paths';
import { binaries } from '../toolchain';
import { kubeConfigFor } from './clusters';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Namespaces a run leaves behind: Istio's, and the workloads suites and the demo make. */
const NAMESPACES = [
  'istio-system',
  'istio-mesh',
  'mesh-probe',
  'mesh-demo',
  'bookinfo',
];

/**
 * Takes Istio off a local cluster that an earlier run left joined, with the workloads
 * made while it was: the clusters are reused between runs on a developer's machine,
 * and a pod keeps the sidecar (or lack of one) it was created with.
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
  for (const name of NAMESPACES) {
    await core.deleteNamespace({ name }).catch(() => undefined);
  }
  for (let i = 0; i < 240; i++) {
    const names = (await core.listNamespace()).items.map(n => n.metadata!.name);
    if (!NAMESPACES.some(n => names.includes(n!))) return;
    await sleep(500);
  }
  throw new Error(
    `${NAMESPACES.join(', ')} in ${context} did not go away within 2 minutes`,
  );
}
