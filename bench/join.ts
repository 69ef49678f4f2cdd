/**
 * Time to join east and west through the "Add cluster to mesh" template, run by a
 * scaffolder backend against the local clusters, per step. Beside it, in the same run,
 * the runbook by hand (openssl, kubectl, helm, istioctl) on the same clusters. Prints
 * per step (the actions log their own time), summed, and end to end (the template's
 * time includes the scaffolder's task handling): template ms, runbook ms, ratio.
 *
 * Then our time beyond helm's own, measured against the helm commands of the same
 * install so that the local clusters' variance cancels: the template's helm step, its
 * three install steps in turn, and the same install with cacerts and istio-base
 * overlapped, as installMember (and Create mesh) runs it.
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
  findCluster,
  installMember,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { startScaffolder } from '../plugins/scaffolder-backend-module-istio-mesh/src/__testUtils__/scaffolderHarness';
import { harnessChartValues } from '../tools/clusters/src/chartValues';
import { localEnvironment } from './localMesh';
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

/** The sum of the "helm took N ms" lines of an install's log. */
function helmTook(lines: string[]): number {
  return lines
    .map(l => /helm took (\d+) ms/.exec(l))
    .reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
}

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
  /** helm's own time: the upgrade commands, as the install logs them. */
  const helmOwn = { template: 0, overlapped: 0 };
  let overlapped = 0;

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
      helmOwn.template += helmTook(
        run.events
          .filter(e => e.body.stepId === 'helm')
          .map(e => e.body.message ?? ''),
      );
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

  // The same installs through installMember, as Create mesh runs each cluster: cacerts
  // and istio-base at once.
  await Promise.all(CLUSTERS.map(resetIstio));
  const env = localEnvironment(rootDir);
  for (const cluster of CLUSTERS) {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: () => undefined };
    overlapped += await timed(async () => {
      await installMember({
        env,
        cluster: findCluster(env, cluster),
        identity: {
          meshId: 'mesh1',
          clusterName: cluster,
          network: `network-${cluster}`,
        },
        istioVersion: env.istioVersion!,
        dryRun: false,
        holder: 'bench',
        log,
      });
    });
    helmOwn.overlapped += helmTook(lines);
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

  const installSteps = template.cacerts + template.helm + template.gateway;
  const share = (ours: number, helm: number) =>
    `${(((ours - helm) / helm) * 100).toFixed(1)}%`.padStart(10);
  out += `\nour time beyond helm's own (its upgrade commands), as a share of helm's time\n`;
  out += `${'what'.padEnd(36)}${'ours'.padStart(10)}${'helm'.padStart(
    10,
  )}${'overhead'.padStart(10)}\n`;
  const shareRow = (name: string, ours: number, helm: number) =>
    `${name.padEnd(36)}${ours.toFixed(0).padStart(10)}${helm
      .toFixed(0)
      .padStart(10)}${share(ours, helm)}\n`;
  out += shareRow('helm step alone', template.helm, helmOwn.template);
  out += shareRow(
    'cacerts, helm, gateway in turn',
    installSteps,
    helmOwn.template,
  );
  out += shareRow(
    'same, overlapped (installMember)',
    overlapped,
    helmOwn.overlapped,
  );
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
