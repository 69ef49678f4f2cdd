import { alignedColumns } from './alignedColumns';
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
  return alignedColumns(table, 5);
}
