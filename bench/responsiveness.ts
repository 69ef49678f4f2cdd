import { kubeConfigFor } from '@istio-mesh/local-clusters';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** p99 and max of a set of milliseconds. */
export interface Spread {
  p99: number;
  max: number;
}

/** What a held Lease depends on, while some work ran. */
export interface Responsiveness {
  /** How late this process's event loop ran its timers. */
  loop: Spread;
  /** How long each cluster's API server took to answer a Lease read, as a renewal does. */
  apiServers: Record<string, Spread & { failed: number }>;
}

const SAMPLE_MS = 500;

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p99:
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ??
      0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/**
 * Runs fn while sampling this process's event-loop delay and, every half second, the
 * time each cluster's API server takes to answer a Lease list in kube-system: the two
 * things a Lease renewal needs, measured beside the work that might starve them.
 */
export async function measuredWhile(
  clusters: string[],
  fn: () => Promise<void>,
): Promise<Responsiveness> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const samples = new Map(clusters.map(c => [c, [] as number[]]));
  const failed = new Map(clusters.map(c => [c, 0]));
  let running = true;
  const samplers = clusters.map(async cluster => {
    const api = kubeConfigFor(cluster).makeApiClient(CoordinationV1Api);
    while (running) {
      const start = performance.now();
      try {
        await api.listNamespacedLease({ namespace: 'kube-system', limit: 1 });
        samples.get(cluster)!.push(performance.now() - start);
      } catch {
        failed.set(cluster, failed.get(cluster)! + 1);
      }
      await new Promise(r => setTimeout(r, SAMPLE_MS));
    }
  });
  loop.enable();
  try {
    await fn();
  } finally {
    loop.disable();
    running = false;
    await Promise.all(samplers);
  }
  return {
    loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    apiServers: Object.fromEntries(
      clusters.map(c => [
        c,
        { ...spread(samples.get(c)!), failed: failed.get(c)! },
      ]),
    ),
  };
}

/** Lines that show a run's responsiveness beside an idle baseline of the same run. */
export function responsivenessRows(
  name: string,
  run: Responsiveness,
  idle: Responsiveness,
): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const ratio = (a: number, b: number) => (a / Math.max(b, 1)).toFixed(1);
  let out = `${name}: event-loop delay p99 ${ms(run.loop.p99)}, max ${ms(
    run.loop.max,
  )} (idle max ${ms(idle.loop.max)}, ratio ${ratio(
    run.loop.max,
    idle.loop.max,
  )})\n`;
  for (const [cluster, api] of Object.entries(run.apiServers)) {
    const base = idle.apiServers[cluster];
    out += `  ${cluster} API server: p99 ${ms(api.p99)}, max ${ms(api.max)}, ${
      api.failed
    } unanswered (idle p99 ${ms(base.p99)}, ratio ${ratio(
      api.p99,
      base.p99,
    )})\n`;
  }
  return out;
}
