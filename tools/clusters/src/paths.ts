import { resolve } from 'node:path';

// A repository-local tool, never published: the repository root is where it lives.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = resolve(__dirname, '../../..');
/** Where running clusters keep certificates, data, logs and pids; gitignored. */
export const stateDir = resolve(repoRoot, '.clusters');
export const kubeconfigPath = resolve(stateDir, 'kubeconfig');
export const appConfigFragmentPath = resolve(
  repoRoot,
  'app-config.clusters.yaml',
);
