import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a cluster's stand-in sidecars keep their files: one directory per pod. */
export function standinsDir(clusterDir: string): string {
  return join(clusterDir, 'sidecars');
}

export function standinFiles(
  clusterDir: string,
  namespace: string,
  pod: string,
) {
  const dir = join(standinsDir(clusterDir), `${namespace}.${pod}`);
  return {
    dir,
    node: join(dir, 'node.json'),
    rootCert: join(dir, 'root-cert.pem'),
    token: join(dir, 'istio-token'),
    pid: join(dir, 'pid'),
    log: join(dir, 'standin.log'),
  };
}

/** The pids of a cluster's running stand-ins, as their pid files name them. */
export function standinPids(clusterDir: string): number[] {
  const root = standinsDir(clusterDir);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map(name => join(root, name, 'pid'))
    .filter(existsSync)
    .map(file => Number(readFileSync(file, 'utf8')));
}
