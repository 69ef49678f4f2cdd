/**
 * Time to join east and west through the "Add cluster to mesh" template, run by a
 * scaffolder backend against the local clusters, per step. Beside it, in the same run,
 * the runbook by hand (openssl, kubectl, helm, istioctl) on the same clusters. Prints
 * per step (the actions log their own time), summed, and end to end (the template's
 * time includes the scaffolder's task handling): template ms, runbook ms, ratio.
 *
 * Then our time beyond helm's own, measured against the helm commands of the same
 * install so that the local clusters' variance cancels: the template's install step,
 * which signs cacerts while istio-base installs, and before it the same join with the
 * runbook's three steps in turn (istio:mesh:cacerts, istio:mesh:helm,
 * istio:mesh:cross-network-gateway), with the helm step alone.
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
import {
  projectTemplates,
  startScaffolder,
  TaskRun,
} from '../plugins/scaffolder-backend-module-istio-mesh/src/__testUtils__/scaffolderHarness';
import { localRunbook } from './runbook';
import { joinThroughTemplate } from './templateJoin';
import { runWithBackend, timed } from './timing';

const CLUSTERS = ['east', 'west'];
const STEPS = ['preflight', 'install', 'remote-secrets', 'verify'];
const IN_TURN = ['cacerts', 'helm', 'gateway'];

/** "Add cluster to mesh" with its install as the runbook's three steps, in turn. */
function inTurnTemplate() {
  const template = projectTemplates().find(
    t => t.metadata.name === 'add-cluster-to-mesh',
  )!;
  const spec = template.spec as {
    steps: { id: string; input: Record<string, unknown> }[];
  };
  const install = spec.steps.find(step => step.id === 'install')!;
  const { cluster, clusterName, network, dryRun } = install.input;
  const inTurn = [
    {
      id: 'cacerts',
      name: 'cacerts',
      action: 'istio:mesh:cacerts',
      input: { cluster, clusterName, network, dryRun },
    },
    { ...install, name: 'helm', id: 'helm', action: 'istio:mesh:helm' },
    {
      id: 'gateway',
      name: 'gateway',
      action: 'istio:mesh:cross-network-gateway',
      input: { cluster, dryRun },
    },
  ];
  return {
    ...template,
    metadata: { ...template.metadata, name: 'join-in-turn' },
    spec: {
      ...spec,
      steps: spec.steps.flatMap(step => (step === install ? inTurn : [step])),
    },
  };
}

/** What each step logged as its own time, by step id. */
function stepTimes(run: TaskRun): Record<string, number> {
  const times: Record<string, number> = {};
  for (const e of run.events) {
    const done = /step done in (\d+) ms/.exec(e.body.message ?? '');
    if (done && e.body.stepId) times[e.body.stepId] = Number(done[1]);
  }
  return times;
}

/** helm's own time in one step: the upgrade commands, as the install logs them. */
function helmTookIn(run: TaskRun, stepId: string): number {
  return helmTook(
    run.events
      .filter(e => e.body.stepId === stepId)
      .map(e => e.body.message ?? ''),
  );
}

/** The sum of the "helm took N ms" lines of an install's log. */
function helmTook(lines: string[]): number {
  return lines
    .map(l => /helm took (\d+) ms/.exec(l))
    .reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
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
  const inTurn: Record<string, number> = { cacerts: 0, helm: 0, gateway: 0 };
  const endToEnd = { template: 0, manual: 0 };
  const helmOwn = { overlapped: 0, inTurn: 0 };

  await Promise.all(CLUSTERS.map(resetIstio));
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  const scaffolder = await startScaffolder({
    istioMesh: { rootCa: { type: 'file', directory: rootDir } },
    workingDirectory: workspace,
    templates: [...projectTemplates(), inTurnTemplate() as never],
  });
  try {
    for (const cluster of CLUSTERS) {
      let run!: TaskRun;
      endToEnd.template += await timed(async () => {
        run = await joinThroughTemplate(scaffolder, cluster);
      });
      helmOwn.overlapped += helmTookIn(run, 'install');
      const times = stepTimes(run);
      for (const step of STEPS) template[step] += times[step];
    }

    await Promise.all(CLUSTERS.map(resetIstio));
    for (const cluster of CLUSTERS) {
      const run = await joinThroughTemplate(
        scaffolder,
        cluster,
        'join-in-turn',
      );
      helmOwn.inTurn += helmTookIn(run, 'helm');
      const times = stepTimes(run);
      for (const step of IN_TURN) inTurn[step] += times[step];
    }
  } finally {
    await scaffolder.stop();
  }

  await Promise.all(CLUSTERS.map(resetIstio));
  const byHand = localRunbook(bins, rootDir, join(work, 'runbook'));
  const members: string[] = [];
  const manualStart = Date.now();
  for (const cluster of CLUSTERS) {
    const network = `network-${cluster}`;
    manual.preflight += await timed(() => byHand.preflight(cluster));
    manual.install += await timed(() => {
      byHand.cacerts(cluster, network);
      byHand.helm(cluster, network);
      byHand.gateway(cluster);
    });
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

  const share = (ours: number, helm: number) =>
    `${(((ours - helm) / helm) * 100).toFixed(1)}%`.padStart(10);
  out += `\nour time beyond helm's own (its upgrade commands), as a share of helm's time\n`;
  out += `${'what'.padEnd(40)}${'ours'.padStart(10)}${'helm'.padStart(
    10,
  )}${'overhead'.padStart(10)}\n`;
  const shareRow = (name: string, ours: number, helm: number) =>
    `${name.padEnd(40)}${ours.toFixed(0).padStart(10)}${helm
      .toFixed(0)
      .padStart(10)}${share(ours, helm)}\n`;
  out += `before the overlap: cacerts, helm, gateway as three steps\n`;
  out += shareRow('  the helm step alone', inTurn.helm, helmOwn.inTurn);
  out += shareRow(
    '  the three steps',
    inTurn.cacerts + inTurn.helm + inTurn.gateway,
    helmOwn.inTurn,
  );
  out += `after: the template's install step\n`;
  out += shareRow(
    '  cacerts while istio-base installs',
    template.install,
    helmOwn.overlapped,
  );
  process.stdout.write(out);
}

runWithBackend(main);
