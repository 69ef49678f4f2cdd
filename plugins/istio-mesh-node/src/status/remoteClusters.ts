import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';

/**
 * One row of `istioctl remote-clusters`: NAME, SECRET, STATUS, ISTIOD, REVISION.
 *
 * @public
 */
export interface RemoteClusterRow {
  name: string;
  secret: string;
  status: string;
  istiod: string;
  revision: string;
}

/**
 * The rows `istioctl remote-clusters` prints for a member, from the /debug/clusterz its
 * istiod answered: one per cluster istiod reads, its own first.
 *
 * @public
 */
export function remoteClusterRows(
  member: ClusterMembership,
): RemoteClusterRow[] {
  const view = member.istiodView;
  return (view?.clusters ?? []).map(c => ({
    name: c.id,
    secret: c.secretName ?? '',
    status: c.syncStatus,
    istiod: view?.pod?.name ?? '',
    revision: view?.pod?.revision ?? '',
  }));
}

/**
 * The rows as istioctl lays them out: tab-aligned columns under a header.
 *
 * @public
 */
export function formatRemoteClusters(rows: RemoteClusterRow[]): string[] {
  const table = [
    ['NAME', 'SECRET', 'STATUS', 'ISTIOD', 'REVISION'],
    ...rows.map(r => [r.name, r.secret, r.status, r.istiod, r.revision]),
  ];
  const widths = table[0].map((_, i) =>
    Math.max(...table.map(row => row[i].length)),
  );
  return table.map(row =>
    row
      .map((cell, i) =>
        i < row.length - 1 ? cell.padEnd(widths[i] + 5) : cell,
      )
      .join('')
      .trimEnd(),
  );
}
