import { X509Certificate } from 'node:crypto';
import { certificatesIn, sameCertificates } from './certificateFacts';

/**
 * The phases of a root rotation without downtime, in order:
 * - trust-both: every member's root-cert.pem holds the old and the new root, so
 *   workloads trust certificates from either; the intermediates stay;
 * - reissue: every member gets an intermediate signed by the new root, its chain
 *   ending in the new root; root-cert.pem still holds both;
 * - drop-old-root: root-cert.pem holds the new root only, once workload certificates
 *   issued under the old intermediates have expired or been renewed.
 *
 * @public
 */
export const ROTATION_PHASES = [
  'trust-both',
  'reissue',
  'drop-old-root',
] as const;

/** @public */
export type RotationPhase = (typeof ROTATION_PHASES)[number];

/**
 * Where one member's cacerts stands in a rotation from one root to another:
 * - old: the old root only, as before the rotation;
 * - trusts-both: both roots, the intermediate still under the old one;
 * - reissued: both roots, the intermediate under the new one;
 * - new: the new root only;
 * - foreign: anything else, such as a third root or a chain that ends in neither.
 *
 * @public
 */
export type MemberRotationState =
  | 'old'
  | 'trusts-both'
  | 'reissued'
  | 'new'
  | 'foreign';

/** A member's cacerts files, certificates only: the key is never needed here. */
export interface RotationCacerts {
  rootCert: string;
  certChain: string;
}

/** The member's state, judged by the DER of the roots, as istiod compares them. */
export function memberRotationState(
  cacerts: RotationCacerts,
  roots: { oldRoot: X509Certificate; newRoot: X509Certificate },
): MemberRotationState {
  const { oldRoot, newRoot } = roots;
  const trusted = certificatesIn(cacerts.rootCert);
  const chain = certificatesIn(cacerts.certChain);
  const chainRoot = chain[chain.length - 1];
  if (!chainRoot) return 'foreign';
  const under = (root: X509Certificate) => chainRoot.raw.equals(root.raw);
  if (sameCertificates(trusted, [oldRoot]) && under(oldRoot)) return 'old';
  if (sameCertificates(trusted, [oldRoot, newRoot])) {
    if (under(oldRoot)) return 'trusts-both';
    if (under(newRoot)) return 'reissued';
  }
  if (sameCertificates(trusted, [newRoot]) && under(newRoot)) return 'new';
  return 'foreign';
}

/** The states a member may be in before a phase runs: behind it, or already past it. */
const READY_FOR: Record<RotationPhase, MemberRotationState[]> = {
  'trust-both': ['old', 'trusts-both'],
  reissue: ['trusts-both', 'reissued'],
  'drop-old-root': ['reissued', 'new'],
};

/** The state a phase leaves every member in. */
export const STATE_AFTER: Record<RotationPhase, MemberRotationState> = {
  'trust-both': 'trusts-both',
  reissue: 'reissued',
  'drop-old-root': 'new',
};

/**
 * Why a phase may not run on the mesh as it stands, or undefined when it may. A phase
 * runs only when every member has finished the one before it (or this one, on a
 * re-run); a member further back is named with the phase it still needs.
 *
 * @public
 */
export function phaseOrderProblem(
  phase: RotationPhase,
  states: Record<string, MemberRotationState>,
): string | undefined {
  const foreign = Object.entries(states)
    .filter(([, s]) => s === 'foreign')
    .map(([c]) => c);
  if (foreign.length) {
    return `the cacerts of ${foreign.join(
      ', ',
    )} holds neither the old root alone, nor both roots, nor the new root alone: the mesh is not in a rotation between these two roots`;
  }
  const index = ROTATION_PHASES.indexOf(phase);
  const behind = Object.entries(states).filter(
    ([, s]) => !READY_FOR[phase].includes(s),
  );
  if (behind.length === 0) return undefined;
  const order: MemberRotationState[] = [
    'old',
    'trusts-both',
    'reissued',
    'new',
  ];
  const [, farthest] = behind.reduce((a, b) =>
    order.indexOf(b[1]) < order.indexOf(a[1]) ? b : a,
  );
  if (order.indexOf(farthest) < index) {
    const first = ROTATION_PHASES[order.indexOf(farthest)];
    return `phase ${first} must come first: ${behind
      .map(([c, s]) => `${c} is at ${s}`)
      .join(', ')}`;
  }
  return `phase ${phase} is already past: ${behind
    .map(([c, s]) => `${c} is at ${s}`)
    .join(', ')}`;
}
