/**
 * Time to make a mesh's certificates: a root plus 10 intermediates through the library,
 * beside the baseline of `openssl genrsa 4096` run 11 times, measured in the same run.
 * Both are dominated by RSA-4096 prime search, whose time varies from key to key, so
 * the ratio is what to compare between runs.
 */
import { execFileSync } from 'node:child_process';
import {
  createIntermediateCa,
  createRootCa,
} from '@istio-mesh/plugin-istio-mesh-node';
import { inMemorySigner } from '../plugins/istio-mesh-node/src/ca/testing';
import { timed } from './timing';

const INTERMEDIATES = 10;

async function main() {
  const baseline = await timed(() => {
    for (let i = 0; i < INTERMEDIATES + 1; i++) {
      execFileSync('openssl', ['genrsa', '4096'], {
        stdio: ['ignore', 'ignore', 'ignore'],
      });
    }
  });
  const ours = await timed(async () => {
    const signer = inMemorySigner(await createRootCa());
    for (let i = 0; i < INTERMEDIATES; i++) {
      await createIntermediateCa(signer, { cluster: `cluster-${i}` });
    }
  });
  const rss = process.memoryUsage().rss / 2 ** 20;
  process.stdout.write(
    `openssl genrsa 4096 x${INTERMEDIATES + 1}: ${baseline.toFixed(0)} ms\n` +
      `root + ${INTERMEDIATES} intermediates:  ${ours.toFixed(0)} ms\n` +
      `ratio (ours / openssl):     ${(ours / baseline).toFixed(2)}\n` +
      `peak-ish RSS:               ${rss.toFixed(0)} MiB\n`,
  );
}

main();
