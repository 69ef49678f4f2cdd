/**
 * What the cross-cluster route proof costs. Joins east, west and cluster3, applies the
 * traffic probe, then prints:
 * - the route proof for three clients (what each istiod tells its client about
 *   helloworld, through a port-forward), against one port-forwarded /debug/clusterz
 *   read, the cheapest question istiod answers, in the same run;
 * - the memory of one stand-in sidecar (the local clusters' xDS client for an injected
 *   pod), against the aim of 30 MiB.
 */
import { runningClusters, standinPids } from '@istio-mesh/local-clusters';
import { readFileSync } from 'node:fs';
import { verifyCrossClusterTraffic } from '../plugins/istio-mesh-node/src';
import { readIstiodDebug } from '../plugins/istio-mesh-node/src/istiod/debugEndpoints';
import { median, withLocalMesh } from './localMesh';

const MEMBERS = ['east', 'west', 'cluster3'];
const RUNS = 5;
const AIM_MIB = 30;

/**
 * A process's memory from /proc/<pid>/smaps_rollup, in MiB: its resident set, and the
 * part only it holds (private pages). Every stand-in maps the same binary, whose pages
 * the page cache holds once, so the private part is what one more stand-in costs.
 */
function memoryMiB(pid: number): { resident: number; own: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)![1]);
  return {
    resident: kib('Rss') / 1024,
    own: (kib('Private_Clean') + kib('Private_Dirty')) / 1024,
  };
}

async function main() {
  const log = {
    info: (m: string) => process.stderr.write(`${m}\n`),
    warn: (m: string) => process.stderr.write(`${m}\n`),
  };
  const quiet = { info: () => undefined, warn: () => undefined };
  await withLocalMesh(MEMBERS, async env => {
    const request = {
      meshId: 'mesh1',
      keepProbe: true,
      dryRun: false,
      run: 'bench:routes',
    };
    const first = await verifyCrossClusterTraffic(env, request, log);
    if (!first.routeProof.ok) throw new Error('the route proof failed');
    const east = env.clusters.find(c => c.name === 'east')!;
    const clusterz = await median(RUNS, () =>
      readIstiodDebug(east, '/debug/clusterz'),
    );
    // The probe is in place: each run is the proof alone, with the exec step's node read.
    const proof = await median(RUNS, () =>
      verifyCrossClusterTraffic(env, request, quiet),
    );
    const pids = MEMBERS.flatMap(name =>
      standinPids(runningClusters().find(c => c.name === name)!.dir),
    );
    const memory = memoryMiB(pids[0]);
    const row = (what: string, value: number, base: number, unit: string) =>
      `${what.padEnd(60)}${value.toFixed(1).padStart(9)} ${unit.padEnd(4)}${(
        value / base
      )
        .toFixed(2)
        .padStart(7)}\n`;
    process.stdout.write(
      `${'median of 5'.padEnd(60)}${'value'.padStart(14)}${'ratio'.padStart(
        7,
      )}\n${row(
        'clusterz through a port-forward (baseline)',
        clusterz,
        clusterz,
        'ms',
      )}${row(
        'traffic check with the probe in place, 3 clients',
        proof,
        clusterz,
        'ms',
      )}${row(
        `one stand-in sidecar's own memory (aim ${AIM_MIB} MiB)`,
        memory.own,
        AIM_MIB,
        'MiB',
      )}${row(
        'its resident set, with the binary pages all stand-ins share',
        memory.resident,
        AIM_MIB,
        'MiB',
      )}${`stand-in sidecars running: ${pids.length}\n`}`,
    );
    await verifyCrossClusterTraffic(
      env,
      { ...request, keepProbe: false },
      quiet,
    );
  });
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
