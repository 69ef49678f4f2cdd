/**
 * What reading hostile PEM costs. pemBlocks on 2 MiB of nothing but BEGIN lines (a
 * regex that looks for each BEGIN's END would scan the rest of the text from every
 * line: quadratic), against 2 MiB of real certificates, the baseline, in the same run;
 * and validateCacerts refusing a 2 MiB cert-chain.pem. Medians of 9 runs.
 */
import { makeMesh } from '../plugins/istio-mesh-node/src/ca/testing';
import { cacertsFiles } from '../plugins/istio-mesh-node/src/ca/bundle';
import { pemBlocks } from '../plugins/istio-mesh-node/src/ca/pem';
import { validateCacerts } from '../plugins/istio-mesh-node/src';

const SIZE = 2 * 1024 * 1024;
const RUNS = 9;

function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length));

async function main() {
  const { bundles } = await makeMesh(
    ['east'],
    { keySize: 2048 },
    { keySize: 2048 },
  );
  const certificates = fill(bundles.east.certChain);
  const flood = fill('-----BEGIN CERTIFICATE-----\n');
  const baseline = median(() => pemBlocks(certificates));
  const begins = median(() => pemBlocks(flood));
  const refused = median(() =>
    validateCacerts({ ...cacertsFiles(bundles.east), 'cert-chain.pem': flood }),
  );
  const row = (what: string, ms: number) =>
    `${what.padEnd(52)}${ms.toFixed(1).padStart(9)}${(ms / baseline)
      .toFixed(2)
      .padStart(8)}\n`;
  process.stdout.write(
    `${'median of 9'.padEnd(52)}${'ms'.padStart(9)}${'ratio'.padStart(8)}\n` +
      row('pemBlocks, 2 MiB of certificates (baseline)', baseline) +
      row('pemBlocks, 2 MiB of BEGIN lines', begins) +
      row('validateCacerts refusing a 2 MiB cert-chain.pem', refused),
  );
}

main();
