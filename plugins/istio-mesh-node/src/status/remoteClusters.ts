import { RemoteClusterRow } from '@istio-mesh/plugin-istio-mesh-common';

/**
 * Rows of `remoteClusterRows` as istioctl lays them out: aligned columns under a
 * header, for logs.
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
