import { clusterNameOf, MeshRule, verdict } from '../rule';

/** istiod keys endpoint shards by clusterName: two members with one name overwrite each other. */
export const uniqueClusterNames: MeshRule = {
  id: 'unique-cluster-names',
  title: 'Unique cluster names',
  asksIstiod: false,
  judge(members) {
    const byName = new Map<string, string[]>();
    for (const m of members) {
      byName.set(clusterNameOf(m), [
        ...(byName.get(clusterNameOf(m)) ?? []),
        m.cluster,
      ]);
    }
    const clashing = [...byName.entries()]
      .filter(([name, cs]) => cs.length > 1 || name === 'Kubernetes')
      .flatMap(([, cs]) => cs);
    return verdict(clashing, {
      problem: `clusterName clashes or is left at the default "Kubernetes": ${clashing.join(
        ', ',
      )}`,
      ok: 'every clusterName is unique',
      fix: 'set global.multiCluster.clusterName (camelCase) to a unique name and reinstall istiod',
    });
  },
};
