import {
  ClusterMembership,
  MeshView,
} from '@istio-mesh/plugin-istio-mesh-common';

/** A mesh view with links from the members' remote secrets and one failing graph check. */
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
  return {
    meshId,
    members,
    links,
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
