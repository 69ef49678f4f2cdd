import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
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
  pilotDiscovery: string;
  /** The harness's xDS client standing in for a sidecar (tools/clusters/istio/xdsstandin). */
  xdsStandin: string;
  /** Istio's charts, packaged as the chart repository serves them: base, istiod, gateway. */
  istioCharts: Record<'base' | 'istiod' | 'gateway', string>;
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
    pilotDiscovery: join(dirs.istio, 'pilot-discovery'),
    xdsStandin: join(dirs.istio, 'xdsstandin'),
    istioCharts: istioCharts(join(dirs.istio, 'charts')),
  };
}

function istioCharts(dir: string): Binaries['istioCharts'] {
  const files = readdirSync(dir);
  const chart = (name: string) => {
    const file = files.find(
      f => f.startsWith(`${name}-`) && f.endsWith('.tgz'),
    );
    if (!file)
      throw new Error(
        `no packaged ${name} chart in ${dir}: rerun tools/clusters/build.sh`,
      );
    return join(dir, file);
  };
  return {
    base: chart('base'),
    istiod: chart('istiod'),
    gateway: chart('gateway'),
  };
}

/** The version the build packaged Istio's charts with, read from the base chart's file name. */
export function istioChartVersion(bins: Binaries): string {
  return basename(bins.istioCharts.base)
    .replace(/^base-/, '')
    .replace(/\.tgz$/, '');
}
