import { join } from 'node:path';

/**
 * Where a cluster's local istiod keeps its files. `root` is its working directory and
 * holds its mounts; it is removed whenever the process stops.
 */
export function istiodFiles(clusterDir: string) {
  const root = join(clusterDir, 'istiod');
  return {
    root,
    kubeconfig: join(root, 'kubeconfig'),
    token: join(root, 'token'),
    log: join(clusterDir, 'istiod.log'),
    previousLog: join(clusterDir, 'istiod.previous.log'),
    pid: join(clusterDir, 'istiod.pid'),
    /** The resolv.conf istiod sees as /etc/resolv.conf, naming the cluster DNS. */
    resolvConf: join(clusterDir, 'istiod-resolv.conf'),
  };
}
