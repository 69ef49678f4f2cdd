import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs fn with the cluster's credentials in a kubeconfig file only the portal's user
 * can read, for tools such as helm that take a file. The file is gone afterwards, also
 * when fn fails.
 */
export async function withKubeconfigFile<T>(
  kubeConfig: KubeConfig,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'istio-mesh-kubeconfig-'));
  const path = join(dir, 'kubeconfig');
  try {
    await writeFile(path, kubeConfig.exportConfig(), { mode: 0o600 });
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
