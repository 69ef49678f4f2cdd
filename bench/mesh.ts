/**
 * A five-cluster mesh made three ways on the local clusters, in one run: one "Create
 * mesh" task, five "Add cluster to mesh" tasks one after another, and the runbook by
 * hand (openssl, kubectl, helm, istioctl), cluster after cluster. Prints each one's
 * time and its ratio to the runbook's.
 *
 * During Create mesh it also measures what a held Lease needs: this process's event-loop
 * delay and each API server's answer time, beside the same measured idle first.
 *
 * First, what the clusters themselves cost: the time `clusters up` takes for three and
 * for five, and the resident memory of every harness process (API servers, etcd,
 * controller managers, kwok, the local istiods, the stand-ins), idle and with the mesh.
 */
import {
  binaries,
  down,
  harnessPids,
  resetIstio,
  runningClusters,
  up,
} from '@istio-mesh/local-clusters';
import {
  createRootCa,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScaffolder } from '../plugins/scaffolder-backend-module-istio-mesh/src/__testUtils__/scaffolderHarness';
import {
  measuredWhile,
  Responsiveness,
  responsivenessRows,
} from './responsiveness';
import { localRunbook } from './runbook';
import { joinThroughTemplate } from './templateJoin';
import { runWithBackend, timed } from './timing';

const COUNT = 5;

/** The summed resident memory of every harness process, in MiB. */
function harnessMemoryMiB(): number {
  let kib = 0;
  for (const pid of harnessPids()) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      kib += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // gone since it was listed
    }
  }
  return kib / 1024;
}

async function main() {
  // Progress on stderr; the result, at the end, on stdout.
  const say = (line: string) => process.stderr.write(`${line}\n`);

  await down();
  const up3 = await timed(() => up(3));
  const idle3 = harnessMemoryMiB();
  await down();
  const up5 = await timed(() => up(COUNT));
  const idle5 = harnessMemoryMiB();
  say(`clusters up 3: ${(up3 / 1000).toFixed(1)} s, ${idle3.toFixed(0)} MiB`);
  say(`clusters up 5: ${(up5 / 1000).toFixed(1)} s, ${idle5.toFixed(0)} MiB`);

  const clusters = runningClusters().map(c => c.name);
  const bins = binaries();
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-bench-'));
  const rootDir = join(work, 'root');
  await writeRootCaDir(rootDir, await createRootCa());
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  const resetAll = () => Promise.all(clusters.map(resetIstio));
  const times = { create: 0, sequential: 0, runbook: 0 };
  let meshMemory = 0;
  let idle: Responsiveness | undefined;
  let during: Responsiveness | undefined;

  await resetAll();
  const scaffolder = await startScaffolder({
    istioMesh: { rootCa: { type: 'file', directory: rootDir } },
    workingDirectory: workspace,
  });
  try {
    idle = await measuredWhile(
      clusters,
      () => new Promise(r => setTimeout(r, 10_000)),
    );
    during = await measuredWhile(clusters, async () => {
      times.create = await timed(async () => {
        const run = await scaffolder.run('create-mesh', {
          clusters: clusters.map(c => `resource:default/${c}`),
          meshId: 'mesh1',
        });
        if (run.status !== 'completed') {
          throw new Error(`create-mesh ${run.status}:\n${run.log.join('\n')}`);
        }
      });
    });
    meshMemory = harnessMemoryMiB();
    say(`Create mesh: ${(times.create / 1000).toFixed(1)} s`);

    await resetAll();
    times.sequential = await timed(async () => {
      for (const cluster of clusters) {
        await joinThroughTemplate(scaffolder, cluster);
      }
    });
    say(
      `Add cluster to mesh x${COUNT}: ${(times.sequential / 1000).toFixed(
        1,
      )} s`,
    );
  } finally {
    await scaffolder.stop();
  }

  await resetAll();
  const byHand = localRunbook(bins, rootDir, join(work, 'runbook'));
  times.runbook = await timed(() => {
    const members: string[] = [];
    for (const cluster of clusters) {
      const network = `network-${cluster}`;
      byHand.preflight(cluster);
      byHand.cacerts(cluster, network);
      byHand.helm(cluster, network);
      byHand.gateway(cluster);
      byHand.remoteSecrets(cluster, members);
      members.push(cluster);
    }
    byHand.verify(members);
  });
  say(`runbook x${COUNT}: ${(times.runbook / 1000).toFixed(1)} s`);
  await resetAll();
  rmSync(work, { recursive: true, force: true });

  const row = (name: string, ms: number) =>
    `${name.padEnd(30)}${(ms / 1000).toFixed(1).padStart(10)}${(
      ms / times.runbook
    )
      .toFixed(2)
      .padStart(8)}\n`;
  let out = `a mesh of ${COUNT} clusters (${clusters.join(', ')})\n`;
  out += `${'way'.padEnd(30)}${'s'.padStart(10)}${'ratio'.padStart(8)}\n`;
  out += row('one Create mesh run', times.create);
  out += row(`${COUNT} Add cluster to mesh runs`, times.sequential);
  out += row('the runbook by hand', times.runbook);
  out += `\nwhat a held Lease needs, during Create mesh beside 10 s idle\n`;
  out += responsivenessRows('Create mesh', during!, idle!);
  out += `\nthe local clusters: start time and resident memory of the harness\n`;
  out += `3 clusters up: ${(up3 / 1000).toFixed(1)} s, idle ${idle3.toFixed(
    0,
  )} MiB\n`;
  out += `5 clusters up: ${(up5 / 1000).toFixed(1)} s, idle ${idle5.toFixed(
    0,
  )} MiB, with the mesh ${meshMemory.toFixed(0)} MiB\n`;
  process.stdout.write(out);
}

runWithBackend(main);
