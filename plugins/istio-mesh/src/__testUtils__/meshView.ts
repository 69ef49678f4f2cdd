import {
  CalendarEntry,
  ClusterMembership,
  MeshView,
} from '@istio-mesh/plugin-istio-mesh-common';

const entry = (
  role: CalendarEntry['role'],
  clusters: string[],
  subject: string,
  daysLeft: number,
): CalendarEntry => ({
  role,
  clusters,
  subject,
  serial: `5E${daysLeft}`,
  sha256: `AB:${role}:${clusters.join('-')}`,
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: new Date(
    Date.UTC(2026, 10, 26) + daysLeft * 86_400_000,
  ).toISOString(),
  daysLeft,
  state: daysLeft <= 30 ? 'expiring' : 'valid',
});

/**
 * A mesh view with links from the members' remote secrets and one failing graph check;
 * every member trusts the others' workloads, but a member named "foreign" trusts no one
 * and is trusted by no one. Its calendar: one root, each member's intermediate (the
 * first expiring in 12 days), and the intermediate of a cluster "gone" that was removed.
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
    calendar: {
      warnDays: 30,
      entries: [
        ...members.map((m, i) =>
          entry(
            'intermediate',
            [m.cluster],
            `O=Istio, CN=Intermediate CA, L=${m.cluster}`,
            i === 0 ? 12 : 700,
          ),
        ),
        {
          ...entry(
            'removed-intermediate',
            ['gone'],
            'O=Istio, CN=Intermediate CA, L=gone',
            400,
          ),
          removedAt: '2026-11-20T10:00:00.000Z',
        },
        entry(
          'root',
          members.map(m => m.cluster),
          'O=Istio, CN=Root CA',
          3600,
        ),
      ].sort((a, b) => a.notAfter.localeCompare(b.notAfter)),
      unknown: [],
    },
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
