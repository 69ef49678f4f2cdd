/**
 * Time to make a mesh's certificates: a root plus 10 intermediates through the library,
 * beside the baseline of `openssl genrsa 4096` run 11 times, measured in the same run.
 * Both are dominated by RSA-4096 prime search, whose time varies from key to key, so
 * the ratio is what to compare between runs.
 *
 * It also prints the longest the event loop stalled meanwhile, beside one signature by
 * node-forge's own JavaScript: a stall is what makes a backend's Leases lapse, and the
 * library's signing is native so that it stays far below that.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import forge from 'node-forge';
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
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const ours = await timed(async () => {
    const signer = inMemorySigner(await createRootCa());
    for (let i = 0; i < INTERMEDIATES; i++) {
      await createIntermediateCa(signer, { cluster: `cluster-${i}` });
    }
  });
  loop.disable();
  const stall = loop.max / 1e6;
  const forgeSign = forgeSignatureMs();
  const rss = process.memoryUsage().rss / 2 ** 20;
  process.stdout.write(
    `openssl genrsa 4096 x${INTERMEDIATES + 1}: ${baseline.toFixed(0)} ms\n` +
      `root + ${INTERMEDIATES} intermediates:  ${ours.toFixed(0)} ms\n` +
      `ratio (ours / openssl):     ${(ours / baseline).toFixed(2)}\n` +
      `longest event-loop stall:   ${stall.toFixed(0)} ms\n` +
      `one forge signature:        ${forgeSign.toFixed(0)} ms\n` +
      `ratio (stall / forge sign): ${(stall / forgeSign).toFixed(2)}\n` +
      `peak-ish RSS:               ${rss.toFixed(0)} MiB\n`,
  );
}

/** One 4096-bit SHA-256 signature by node-forge's JavaScript RSA. */
function forgeSignatureMs(): number {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 4096,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const md = forge.md.sha256.create().update('bench');
  const start = performance.now();
  key.sign(md);
  return performance.now() - start;
}

main();
