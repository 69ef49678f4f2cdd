import { KubeConfig } from '@kubernetes/client-node';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where every backend process keeps its kubeconfig files, one directory each. */
export const kubeconfigsRoot = () => join(tmpdir(), 'istio-mesh-kubeconfigs');

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the directories of processes that are gone: a backend killed while helm ran
 * could not remove its file, which holds a cluster's credentials.
 */
export async function removeLeftoverKubeconfigs(
  root = kubeconfigsRoot(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(root).catch(() => [])) {
    const pid = Number(entry.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    if (running(pid)) continue;
    await rm(join(root, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

const ownDirs = new Map<string, Promise<string>>();

/** This process's directory under root, made (and the dead ones' removed) on first use. */
function ownDir(root: string): Promise<string> {
  let dir = ownDirs.get(root);
  if (!dir) {
    dir = (async () => {
      await mkdir(root, { recursive: true, mode: 0o700 });
      await removeLeftoverKubeconfigs(root);
      return mkdtemp(join(root, `${process.pid}-`));
    })();
    ownDirs.set(root, dir);
  }
  return dir;
}

/**
 * Runs fn with the cluster's credentials in a kubeconfig file only the portal's user
 * can read, for tools such as helm that take a file. The file is gone afterwards, also
 * when fn fails; after a crash, the next process to write one removes it.
 */
export async function withKubeconfigFile<T>(
  kubeConfig: KubeConfig,
  fn: (path: string) => Promise<T>,
  root = kubeconfigsRoot(),
): Promise<T> {
  const dir = await mkdtemp(join(await ownDir(root), 'run-'));
  const path = join(dir, 'kubeconfig');
  try {
    await writeFile(path, kubeConfig.exportConfig(), { mode: 0o600 });
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
