import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import { Verdict } from '../rule';

/**
 * Splits members into those whose istiod was asked and those whose was not. With none
 * asked, the verdict is "not-asked", with each member's reason.
 */
export function askedIstiods(members: ClusterMembership[]): {
  asked: ClusterMembership[];
  notAsked?: Verdict;
  notAskedNote: string;
} {
  const asked = members.filter(m => m.istiodView);
  const skipped = members.filter(m => !m.istiodView);
  const reasons = skipped
    .map(m => `${m.cluster}: ${m.istiodNotAsked ?? 'istiod was not asked'}`)
    .join('; ');
  return {
    asked,
    notAsked: asked.length
      ? undefined
      : {
          state: 'not-asked',
          detail: `istiod was not asked (${reasons || 'no members'})`,
          fix: "set istioMesh.clusters[].istiodDebugUrl to a port-forward of each istiod's port 8080",
          clusters: skipped.map(m => m.cluster),
        },
    notAskedNote: skipped.length ? ` (not asked: ${reasons})` : '',
  };
}
