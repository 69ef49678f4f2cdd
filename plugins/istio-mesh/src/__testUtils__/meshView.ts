import {
  ClusterMembership,
  MeshView,
} from '@istio-mesh/plugin-istio-mesh-common';

/**
 * A mesh view with links from the members' remote secrets and one failing graph check;
 * every member trusts the others' workloads, but a member named "foreign" trusts no one
 * and is trusted by no one.
 */
export function meshViewOf(
  meshId: string,
  members: ClusterMembership[],
): MeshView {
  const links = members.flatMap(from =>
    members
      .filter(to => to !== from)
      .map(to => ({
        from: from.cluster,
        to: to.cluster,
        present: from.remoteSecrets.some(s => s.cluster === to.cluster),
      })),
  );
  const missing = links.filter(l => !l.present);
  const trust = links.map(({ from, to }) => {
    const trusted = from !== 'foreign' && to !== 'foreign';
    return {
      issuer: from,
      verifier: to,
      state: trusted ? ('trusted' as const) : ('untrusted' as const),
      spiffeId:
        'spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe',
      trustDomain: 'cluster.local',
      detail: trusted
        ? `${from}'s workloads are trusted by ${to}`
        : `${from}'s workloads are not trusted by ${to}: no root of the bundle signed it`,
    };
  });
  return {
    meshId,
    members,
    links,
    trust,
    checks: [
      {
        id: 'remote-secret-graph',
        title: 'Remote secrets between every pair',
        state: missing.length ? 'fail' : 'pass',
        detail: missing.length
          ? `missing: ${missing
              .map(l => `${l.from} has no remote secret for ${l.to}`)
              .join('; ')}`
          : 'all links present',
        fix: missing.length ? 'run "Add cluster to mesh" again' : undefined,
        clusters: missing.map(l => l.from),
      },
      {
        id: 'same-root',
        title: 'Same root everywhere',
        state: 'pass',
        detail: 'one root',
        clusters: [],
      },
    ],
  };
}
