import { clusterNameOf, MeshRule } from '../rule';
import { judgeEachIstiod } from './judgeEachIstiod';

/**
 * Istio's own verdict on the remote secrets: each istiod lists every other member in
 * /debug/clusterz as synced.
 */
export const istiodReadsMembers: MeshRule = {
  id: 'istiod-reads-members',
  title: 'istiod reads every member',
  asksIstiod: true,
  judge: members =>
    judgeEachIstiod(members, {
      lacks: (m, view) =>
        members
          .filter(o => o !== m)
          .map(o => {
            const seen = view.clusters?.find(c => c.id === clusterNameOf(o));
            if (!seen) return `${clusterNameOf(o)} missing`;
            return seen.syncStatus === 'synced'
              ? undefined
              : `${clusterNameOf(o)} ${seen.syncStatus}`;
          })
          .filter((p): p is string => !!p),
      problem: (m, lacks) => `${m.cluster}'s istiod: ${lacks.join(', ')}`,
      ok: asked =>
        `${asked} istiod${
          asked > 1 ? 's' : ''
        } list every other member as synced`,
      fix: "check the remote secret's server address and the reader token's RBAC; istiod's log names the failing cluster",
    }),
};
