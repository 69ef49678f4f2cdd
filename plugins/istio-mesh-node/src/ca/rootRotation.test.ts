import { X509Certificate } from 'node:crypto';
import { CacertsBundle, joinPem } from './bundle';
import { makeMesh } from './testing';
import {
  memberRotationState,
  MemberRotationState,
  phaseOrderProblem,
} from './rootRotation';

const FAST = { keySize: 2048 };

describe('root rotation state', () => {
  let roots: { oldRoot: X509Certificate; newRoot: X509Certificate };
  let oldPem: string;
  let newPem: string;
  let underOld: CacertsBundle;
  let underNew: CacertsBundle;
  let thirdPem: string;

  beforeAll(async () => {
    const before = await makeMesh(['east'], FAST, FAST);
    const after = await makeMesh(['east'], FAST, FAST);
    const third = await makeMesh([], FAST, FAST);
    oldPem = before.root.certPem;
    newPem = after.root.certPem;
    thirdPem = third.root.certPem;
    underOld = before.bundles.east;
    underNew = after.bundles.east;
    roots = {
      oldRoot: new X509Certificate(oldPem),
      newRoot: new X509Certificate(newPem),
    };
  }, 60_000);

  it('tells each step of a member from its root-cert.pem and the end of its chain', () => {
    const state = (rootCert: string, certChain: string) =>
      memberRotationState({ rootCert, certChain }, roots);
    const both = joinPem(oldPem, newPem);
    expect(state(oldPem, underOld.certChain)).toBe('old');
    expect(state(both, underOld.certChain)).toBe('trusts-both');
    expect(state(joinPem(newPem, oldPem), underOld.certChain)).toBe(
      'trusts-both',
    );
    expect(state(both, underNew.certChain)).toBe('reissued');
    expect(state(newPem, underNew.certChain)).toBe('new');
    expect(state(newPem, underOld.certChain)).toBe('foreign');
    expect(state(joinPem(oldPem, thirdPem), underOld.certChain)).toBe(
      'foreign',
    );
  });

  it('allows a phase once every member finished the one before, or this one', () => {
    const mesh = (...s: MemberRotationState[]) =>
      Object.fromEntries(s.map((x, i) => [`c${i + 1}`, x]));
    expect(phaseOrderProblem('trust-both', mesh('old', 'old'))).toBeUndefined();
    expect(
      phaseOrderProblem('trust-both', mesh('old', 'trusts-both')),
    ).toBeUndefined();
    expect(
      phaseOrderProblem('reissue', mesh('trusts-both', 'reissued')),
    ).toBeUndefined();
    expect(
      phaseOrderProblem('drop-old-root', mesh('reissued', 'new')),
    ).toBeUndefined();
  });

  it('refuses a phase out of order, naming the phase that must come first and who is behind', () => {
    expect(
      phaseOrderProblem('reissue', { east: 'trusts-both', west: 'old' }),
    ).toBe('phase trust-both must come first: west is at old');
    expect(
      phaseOrderProblem('drop-old-root', { east: 'old', west: 'old' }),
    ).toBe('phase trust-both must come first: east is at old, west is at old');
    expect(
      phaseOrderProblem('drop-old-root', {
        east: 'reissued',
        west: 'trusts-both',
      }),
    ).toBe('phase reissue must come first: west is at trusts-both');
    expect(phaseOrderProblem('trust-both', { east: 'new' })).toBe(
      'phase trust-both is already past: east is at new',
    );
    expect(phaseOrderProblem('reissue', { east: 'foreign' })).toMatch(
      /^the cacerts of east holds neither the old root alone/,
    );
  });
});
