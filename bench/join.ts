/**
 * Time to join east and west through the "Add cluster to mesh" template, run by a
 * scaffolder backend against the local clusters, per step. Beside it, in the same run,
 * the runbook by hand (openssl, kubectl, helm, istioctl) on the same clusters. Prints
 * per step (the actions log their own time), summed, and end to end (the template's
 * time includes the scaffolder's task handling): template ms, runbook ms, ratio.
 */
import {
  binaries,
  resetIstio,
  runningClusters,
  up,
} from '@istio-mesh/local-clusters';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRootCa,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { startScaffolder } from '../plugins/scaffolder-backend-module-istio-mesh/src/__testUtils__/scaffolderHarness';
import { harnessChartValues } from '../tools/clusters/src/chartValues';
import { runbook } from './runbook';

const CLUSTERS = ['east', 'west'];
const STEPS = [
  'preflight',
  'cacerts',
  'helm',
  'gateway',
  'remote-secrets',
  'verify',
];

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  try {
    runningClusters();
  } catch {
    await up(2);
  }
  const bins = binaries();
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-bench-'));
  const rootDir = join(work, 'root');
  await writeRootCaDir(rootDir, await createRootCa());
  const template: Record<string, number> = {};
  const manual: Record<string, number> = {};
  for (const s of STEPS) template[s] = manual[s] = 0;
  const endToEnd = { template: 0, manual: 0 };

  await Promise.all(CLUSTERS.map(resetIstio));
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  const scaffolder = await startScaffolder({
    istioMesh: { rootCa: { type: 'file', directory: rootDir } },
    workingDirectory: workspace,
  });
  try {
    for (const cluster of CLUSTERS) {
      let run!: Awaited<ReturnType<typeof scaffolder.run>>;
      endToEnd.template += await timed(async () => {
        // The runbook's numbers stop before its traffic check, and so do these.
        run = await scaffolder.run('add-cluster-to-mesh', {
          cluster: `resource:default/${cluster}`,
          meshId: 'mesh1',
          verifyTraffic: false,
        });
      });
      if (run.status !== 'completed') {
        throw new Error(
          `join of ${cluster} ${run.status}:\n${run.log.join('\n')}`,
        );
      }
      for (const step of STEPS) {
        const done = run.events
          .filter(e => e.body.stepId === step)
          .map(e => /step done in (\d+) ms/.exec(e.body.message ?? ''))
          .find(Boolean);
        template[step] += Number(done![1]);
      }
    }
  } finally {
    await scaffolder.stop();
  }

  await Promise.all(CLUSTERS.map(resetIstio));
  const servers = Object.fromEntries(
    runningClusters().map(c => [c.name, c.server]),
  );
  const byHand = runbook({
    bins,
    rootDir,
    workDir: join(work, 'runbook'),
    chartValues: cluster => {
      const values = harnessChartValues(
        runningClusters().find(c => c.name === cluster)!.istiodPorts,
      );
      return {
        base: ['--set', `base.validationURL=${values.base.base.validationURL}`],
        istiod: [
          '--set',
          `base.validationURL=${values.istiod.base.validationURL}`,
          '--set',
          `istiodRemote.injectionURL=${values.istiod.istiodRemote.injectionURL}`,
          '--set',
          'pilot.env.ISTIOD_CUSTOM_HOST=127.0.0.1',
        ],
      };
    },
    server: c => servers[c],
  });
  const members: string[] = [];
  const manualStart = Date.now();
  for (const cluster of CLUSTERS) {
    const network = `network-${cluster}`;
    manual.preflight += await timed(() => byHand.preflight(cluster));
    manual.cacerts += await timed(() => byHand.cacerts(cluster, network));
    manual.helm += await timed(() => byHand.helm(cluster, network));
    manual.gateway += await timed(() => byHand.gateway(cluster));
    manual['remote-secrets'] += await timed(() =>
      byHand.remoteSecrets(cluster, members),
    );
    members.push(cluster);
    manual.verify += await timed(() => byHand.verify(members));
  }
  endToEnd.manual = Date.now() - manualStart;
  await Promise.all(CLUSTERS.map(resetIstio));
  rmSync(work, { recursive: true, force: true });

  const row = (name: string, t: number, m: number) =>
    `${name.padEnd(16)}${t.toFixed(0).padStart(10)}${m
      .toFixed(0)
      .padStart(10)}${(t / m).toFixed(2).padStart(8)}\n`;
  let out = `join of ${CLUSTERS.join(' then ')}\n${'step'.padEnd(
    16,
  )}${'template'.padStart(10)}${'runbook'.padStart(10)}${'ratio'.padStart(
    8,
  )}\n`;
  for (const s of STEPS) out += row(s, template[s], manual[s]);
  const sum = (r: Record<string, number>) =>
    Object.values(r).reduce((a, b) => a + b, 0);
  out += row('sum of steps', sum(template), sum(manual));
  out += row('end to end', endToEnd.template, endToEnd.manual);
  process.stdout.write(out);
}

main().then(
  // The stopped scaffolder backend leaves something behind that holds the event loop
  // and no active handle shows; the benchmark is done once it has printed.
  () => process.exit(0),
  e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  },
);
