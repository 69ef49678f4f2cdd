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
import { CoreV1Api } from '@kubernetes/client-node';
import { istiodDebugUrl } from '@istio-mesh/local-clusters';
import { verifyMesh } from '../plugins/istio-mesh-node/src';
import {
  readyIstiodPod,
  withIstiodPortForward,
} from '../plugins/istio-mesh-node/src/istiod/portForward';
import { issueProbeCertificate } from '../plugins/istio-mesh-node/src/trust/probeCertificate';
import { median, withLocalMesh } from './localMesh';

const MEMBERS = ['east', 'west', 'cluster3'];
const RUNS = 9;

async function readClusterz(base: string) {
  const res = await fetch(`${base}/debug/clusterz`);
  if (!res.ok) throw new Error(`${base}: HTTP ${res.status}`);
  return res.json();
}

async function main() {
  await withLocalMesh(MEMBERS, async env => {
    const log = { info: () => undefined, warn: () => undefined };
    const east = env.clusters.find(c => c.name === 'east')!;
    const direct = await median(RUNS, () =>
      readClusterz(istiodDebugUrl('east')),
    );
    // Each run finds a ready pod and opens a forward, as every status read does.
    const forwarded = await median(RUNS, async () =>
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
    const certificate = await median(RUNS, () =>
      issueProbeCertificate(east, rootConfigMap.data!['root-cert.pem']),
    );
    const asked = await median(RUNS, () => verifyMesh(env, 'mesh1', { log }));
    const notAsked = await median(RUNS, () =>
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
  });
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
