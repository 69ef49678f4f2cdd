import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface Binaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  kwokStages: string;
  helm: string;
  istioctl: string;
}

/** Builds (or finds in the cache) the pinned toolchain and returns its binaries. */
export function binaries(): Binaries {
  const out = execFileSync(join(repoRoot, 'tools/clusters/build.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dirs = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map(line => line.split('=') as [string, string]),
  );
  return {
    etcd: join(dirs.etcd, 'etcd'),
    kubeApiserver: join(dirs.kubernetes, 'kube-apiserver'),
    kubeControllerManager: join(dirs.kubernetes, 'kube-controller-manager'),
    kubeScheduler: join(dirs.kubernetes, 'kube-scheduler'),
    kubectl: join(dirs.kubernetes, 'kubectl'),
    kwok: join(dirs.kwok, 'kwok'),
    kwokStages: join(dirs.kwok, 'stages.yaml'),
    helm: join(dirs.helm, 'helm'),
    istioctl: join(dirs.istio, 'istioctl'),
  };
}
