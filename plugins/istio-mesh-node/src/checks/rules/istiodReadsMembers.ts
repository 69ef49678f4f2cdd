import { clusterNameOf, MeshRule, verdict } from '../rule';
import { askedIstiods } from './askedIstiods';

/**
 * Istio's own verdict on the remote secrets: each istiod lists every other member in
 * /debug/clusterz as synced.
 */
export const istiodReadsMembers: MeshRule = {
  id: 'istiod-reads-members',
  title: 'istiod reads every member',
  asksIstiod: true,
  judge(members) {
    const { asked, notAsked, notAskedNote } = askedIstiods(members);
    if (notAsked) return notAsked;
    const problems: string[] = [];
    const failing: string[] = [];
    for (const m of asked) {
      const view = m.istiodView!;
      const wrong = view.error
        ? [view.error]
        : members
            .filter(o => o !== m)
            .map(o => {
              const seen = view.clusters?.find(c => c.id === clusterNameOf(o));
              if (!seen) return `${clusterNameOf(o)} missing`;
              return seen.syncStatus === 'synced'
                ? undefined
                : `${clusterNameOf(o)} ${seen.syncStatus}`;
            })
            .filter((p): p is string => !!p);
      if (wrong.length) {
        failing.push(m.cluster);
        problems.push(`${m.cluster}'s istiod: ${wrong.join(', ')}`);
      }
    }
    return verdict(failing, {
      problem: problems.join('; '),
      ok: `${asked.length} istiod${
        asked.length > 1 ? 's' : ''
      } list every other member as synced${notAskedNote}`,
      fix: "check the remote secret's server address and the reader token's RBAC; istiod's log names the failing cluster",
    });
  },
};
