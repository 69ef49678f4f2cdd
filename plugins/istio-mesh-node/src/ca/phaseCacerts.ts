import { CacertsBundle, joinPem } from './bundle';
import { RotationPhase } from './rootRotation';

/** The two roots of a rotation, as PEM: the one the mesh trusts now, and its successor. */
export interface RotationRoots {
  oldRootPem: string;
  newRootPem: string;
}

/**
 * The root-cert.pem of the middle phases. The same bytes in both, so istiod sees the
 * root set unchanged when the intermediate is re-issued (docs/istio-procedure.md §9).
 */
export function bothRootsPem(roots: RotationRoots): string {
  return joinPem(roots.oldRootPem, roots.newRootPem);
}

/**
 * A member's cacerts after a phase, from the one in place:
 * - trust-both keeps the intermediate and trusts both roots;
 * - reissue takes a new intermediate signed by the new root (its chain ends there) and
 *   still trusts both;
 * - drop-old-root keeps that intermediate and trusts the new root only.
 */
export async function cacertsForPhase(
  phase: RotationPhase,
  current: CacertsBundle,
  roots: RotationRoots,
  signUnderNewRoot: () => Promise<CacertsBundle>,
): Promise<CacertsBundle> {
  switch (phase) {
    case 'trust-both':
      return { ...current, rootCert: bothRootsPem(roots) };
    case 'reissue': {
      const reissued = await signUnderNewRoot();
      return { ...reissued, rootCert: bothRootsPem(roots) };
    }
    case 'drop-old-root':
      return { ...current, rootCert: joinPem(roots.newRootPem) };
    default:
      throw new Error(`unknown rotation phase ${phase as string}`);
  }
}
