import {
  ClusterMembership,
  MeshRootRotation,
} from '@istio-mesh/plugin-istio-mesh-common';
import { certificatesIn, issuedBy } from '../ca/certificateFacts';

type MemberState = MeshRootRotation['members'][number]['state'];

/**
 * A member's place in a rotation, from public facts only: its published root bundle
 * (the rotation writes the old root first) and the intermediate in the chain its
 * istiod's CA returned to the trust probe.
 */
function memberState(member: ClusterMembership): MemberState {
  const roots = certificatesIn(member.rootCertPem ?? '');
  if (roots.length === 1) return 'old';
  const intermediate = certificatesIn(
    member.istiodView?.probeCertificate?.chainPem ?? '',
  )[1];
  if (roots.length !== 2 || !intermediate) return 'unknown';
  if (issuedBy(intermediate, roots[0])) return 'trusts-both';
  if (issuedBy(intermediate, roots[1])) return 'reissued';
  return 'unknown';
}

/**
 * Where a root rotation stands in a mesh, or undefined when no member trusts two
 * roots (none under way, or the last phase done).
 */
export function rootRotationView(
  members: ClusterMembership[],
): MeshRootRotation | undefined {
  const answered = members.filter(m => m.reachable && m.rootCertPem);
  const states = answered.map(m => ({
    cluster: m.cluster,
    state: memberState(m),
  }));
  if (!states.some(s => s.state === 'trusts-both' || s.state === 'reissued')) {
    return undefined;
  }
  const all = (state: MemberState) => states.every(s => s.state === state);
  if (all('trusts-both')) {
    return {
      phase: 'trust-both',
      next: 'Every member trusts both roots: run the reissue phase of Rotate mesh root.',
      members: states,
    };
  }
  if (all('reissued')) {
    return {
      phase: 'reissue',
      next: 'Every intermediate is under the new root: once workload certificates have turned over (12 h for the default 24 h lifetime, or a restart), run drop-old-root.',
      members: states,
    };
  }
  return {
    phase: 'mixed',
    next: `A phase is under way: ${states
      .map(s => `${s.cluster} is at ${s.state}`)
      .join(', ')}. Re-run the phase of Rotate mesh root that is not finished.`,
    members: states,
  };
}
