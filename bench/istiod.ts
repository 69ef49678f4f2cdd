/**
 * What asking istiod through the API server costs. Joins east, west and cluster3 (the
 * local clusters, which serve port-forwards as a kubelet does), then prints:
 * - opening a port-forward to a ready istiod pod and reading /debug/clusterz through
 *   it, against reading it from the local istiod directly, in the same run;
 * - a workload certificate from istiod's CA (the trust proof's request: key, CSR,
 *   token, a port-forward to 15012), against the port-forwarded clusterz read;
 * - verify for three members, against the same reads with istiod not asked.
 * Each as the median of several runs, with the ratio.
 */
import { ConfigReader } from '@backstage/config';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  appConfigFragmentPath,
  istiodDebugUrl,
  resetIstio,
  runningClusters,
  up,
} from '@istio-mesh/local-clusters';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRootCa,
  joinCluster,
  meshEnvironmentFromConfig,
  verifyMesh,
  writeRootCaDir,
} from '../plugins/istio-mesh-node/src';
import {
  readyIstiodPod,
  withIstiodPortForward,
} from '../plugins/istio-mesh-node/src/istiod/portForward';
import { issueProbeCertificate } from '../plugins/istio-mesh-node/src/trust/probeCertificate';

const MEMBERS = ['east', 'west', 'cluster3'];
const RUNS = 9;

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

async function readClusterz(base: string) {
  const res = await fetch(`${base}/debug/clusterz`);
  if (!res.ok) throw new Error(`${base}: HTTP ${res.status}`);
  return res.json();
}

async function main() {
  let running = 0;
  try {
    running = runningClusters().length;
  } catch {
    // none yet
  }
  if (running !== MEMBERS.length) await up(MEMBERS.length);
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-bench-istiod-'));
  try {
    await Promise.all(MEMBERS.map(resetIstio));
    const root = await createRootCa();
    await writeRootCaDir(join(work, 'root'), root);
    const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
    const env = meshEnvironmentFromConfig(
      new ConfigReader({
        kubernetes: fragment.kubernetes,
        istioMesh: {
          ...fragment.istioMesh,
          rootCa: { type: 'file', directory: join(work, 'root') },
        },
      }),
    );
    const log = { info: () => undefined, warn: () => undefined };
    for (const cluster of MEMBERS) {
      process.stderr.write(`joining ${cluster}\n`);
      await joinCluster({
        env,
        request: {
          cluster,
          meshId: 'mesh1',
          network: `network-${cluster}`,
          istioVersion: env.istioVersion!,
          dryRun: false,
        },
        holder: 'bench',
        log,
      });
    }
    const east = env.clusters.find(c => c.name === 'east')!;
    const direct = await median(() => readClusterz(istiodDebugUrl('east')));
    // Each run finds a ready pod and opens a forward, as every status read does.
    const forwarded = await median(async () =>
      withIstiodPortForward(
        east,
        { pod: await readyIstiodPod(east), port: 15014 },
        ({ host, port }) => readClusterz(`http://${host}:${port}`),
      ),
    );
    const rootConfigMap = await east
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({
        name: 'istio-ca-root-cert',
        namespace: 'istio-system',
      });
    const certificate = await median(() =>
      issueProbeCertificate(east, rootConfigMap.data!['root-cert.pem']),
    );
    const asked = await median(() => verifyMesh(env, 'mesh1', { log }));
    const notAsked = await median(() =>
      verifyMesh(env, 'mesh1', { skipIstiodChecks: true, log }),
    );
    const row = (what: string, ms: number, base: number) =>
      `${what.padEnd(58)}${ms.toFixed(1).padStart(9)}${(ms / base)
        .toFixed(2)
        .padStart(8)}\n`;
    process.stdout.write(
      `${'median of 9'.padEnd(58)}${'ms'.padStart(9)}${'ratio'.padStart(
        8,
      )}\n${row(
        'clusterz from the local istiod directly (baseline)',
        direct,
        direct,
      )}${row(
        'clusterz through a new port-forward via the API server',
        forwarded,
        direct,
      )}${row(
        "a workload certificate from istiod's CA, new port-forward",
        certificate,
        direct,
      )}${row(
        'verify, 3 members, istiod not asked (baseline)',
        notAsked,
        notAsked,
      )}${row(
        'verify, 3 members, each istiod asked through a port-forward',
        asked,
        notAsked,
      )}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
