import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import { Verdict, verdict } from '../rule';

type IstiodView = NonNullable<ClusterMembership['istiodView']>;

/**
 * Judges each member whose istiod was asked, by what its view lacks. An istiod that did
 * not answer fails with the error; with no istiod asked at all the verdict is
 * "not-asked", with each member's reason, and a pass names the members not asked.
 */
export function judgeEachIstiod(
  members: ClusterMembership[],
  rule: {
    /** What this member's istiod lacks, one phrase each; empty when nothing. */
    lacks(member: ClusterMembership, view: IstiodView): string[];
    /** One member's finding, from its phrases. */
    problem(member: ClusterMembership, lacks: string[]): string;
    ok(asked: number): string;
    fix: string;
  },
): Verdict {
  const asked = members.filter(m => m.istiodView);
  const skipped = members.filter(m => !m.istiodView);
  const reasons = skipped
    .map(m => `${m.cluster}: ${m.istiodNotAsked ?? 'istiod was not asked'}`)
    .join('; ');
  if (asked.length === 0) {
    return {
      state: 'not-asked',
      detail: `istiod was not asked (${reasons || 'no members'})`,
      fix: 'let istiod be asked: install it (join the cluster), and run without skipIstiodChecks',
      clusters: skipped.map(m => m.cluster),
    };
  }
  const findings = asked
    .map(m => {
      const view = m.istiodView!;
      const lacks = view.error ? [view.error] : rule.lacks(m, view);
      return { member: m, lacks };
    })
    .filter(f => f.lacks.length);
  return verdict(
    findings.map(f => f.member.cluster),
    {
      problem: findings.map(f => rule.problem(f.member, f.lacks)).join('; '),
      ok: `${rule.ok(asked.length)}${
        skipped.length ? ` (not asked: ${reasons})` : ''
      }`,
      fix: rule.fix,
    },
  );
}
