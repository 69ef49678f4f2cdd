import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A path from the API (a volume's mountPath, an item's path) under `root`, or an error
 * naming it: the supervisor writes Secret and ConfigMap data there, as the kubelet
 * writes into a pod's filesystem, and a Deployment must not make it write anywhere
 * else on this machine. Like the API server's own rule for item paths, no `..`
 * segment is taken at all.
 */
export function confinedPath(root: string, path: string, what: string): string {
  const segments = path.split(/[\\/]+/);
  const target = resolve(root, path);
  const inside = relative(resolve(root), target);
  if (
    segments.includes('..') ||
    inside.startsWith('..') ||
    isAbsolute(inside)
  ) {
    throw new Error(
      `${what} ${JSON.stringify(path)} leaves the istiod directory; refused`,
    );
  }
  return target;
}
