import { ClusterMembership } from './types';

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
