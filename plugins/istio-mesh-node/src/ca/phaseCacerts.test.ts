import { X509Certificate } from 'node:crypto';
import { cacertsFiles } from './bundle';
import { createIntermediateCa } from './intermediateCa';
import { inMemorySigner, makeMesh } from './testing';
import { validateCacerts } from './validateCacerts';
import { cacertsForPhase } from './phaseCacerts';
import { memberRotationState } from './rootRotation';

const FAST = { keySize: 2048 };

describe('cacertsForPhase', () => {
  it('walks a member from the old root to the new, each bundle valid for istiod', async () => {
    const before = await makeMesh(['east'], FAST, FAST);
    const after = await makeMesh([], FAST, FAST);
    const roots = {
      oldRootPem: before.root.certPem,
      newRootPem: after.root.certPem,
    };
    const certs = {
      oldRoot: new X509Certificate(roots.oldRootPem),
      newRoot: new X509Certificate(roots.newRootPem),
    };
    const reissue = () =>
      createIntermediateCa(inMemorySigner(after.root), {
        cluster: 'east',
        ...FAST,
      });
    let bundle = before.bundles.east;
    const seen = [];
    for (const phase of ['trust-both', 'reissue', 'drop-old-root'] as const) {
      const next = await cacertsForPhase(phase, bundle, roots, reissue);
      expect(validateCacerts(cacertsFiles(next)).errors).toEqual([]);
      seen.push(memberRotationState(next, certs));
      bundle = next;
    }
    expect(seen).toEqual(['trusts-both', 'reissued', 'new']);
  }, 60_000);
});
