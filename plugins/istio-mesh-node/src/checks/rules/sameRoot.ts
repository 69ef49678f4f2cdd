import { MeshRule, verdict } from '../rule';

/**
 * One root everywhere, read from the istio-ca-root-cert ConfigMap istiod publishes:
 * what istiod actually serves, not what a Secret says it should.
 */
export const sameRoot: MeshRule = {
  id: 'same-root',
  title: 'Same root everywhere',
  asksIstiod: true,
  judge(members) {
    const roots = new Map<string, string[]>();
    const unpublished: string[] = [];
    for (const m of members) {
      if (!m.rootFingerprint) unpublished.push(m.cluster);
      else
        roots.set(m.rootFingerprint, [
          ...(roots.get(m.rootFingerprint) ?? []),
          m.cluster,
        ]);
    }
    if (unpublished.length && roots.size <= 1) {
      return {
        state: 'fail',
        detail: `istiod has published no root (ConfigMap istio-system/istio-ca-root-cert) in ${unpublished.join(
          ', ',
        )}`,
        fix: 'istiod publishes it once it runs with the plugged-in cacerts: check that istiod runs and its log',
        clusters: unpublished,
      };
    }
    // The largest group is taken as the mesh's root; the others are the odd ones.
    const odd =
      roots.size > 1
        ? [...roots.values()]
            .sort((a, b) => a.length - b.length)
            .slice(0, -1)
            .flat()
        : [];
    return verdict([...odd, ...unpublished], {
      problem: `${roots.size} different roots: ${[...roots.entries()]
        .map(([fp, cs]) => `${fp.slice(0, 12)} in ${cs.join(', ')}`)
        .join('; ')}`,
      ok: `one root, sha256 ${[...roots.keys()][0]?.slice(0, 12) ?? ''}`,
      fix: "rotate the odd clusters' cacerts to intermediates of the mesh root, then restart istiod and workloads",
    });
  },
};
