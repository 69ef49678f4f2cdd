import { Table } from '@backstage/core-components';
import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';

type Row = { name: string; secret: string; status: string; istiod: string };

/**
 * The clusters this cluster's istiod reads, from its /debug/clusterz: the table
 * `istioctl remote-clusters` prints for it.
 */
export function RemoteClustersTable(props: { cluster: ClusterMembership }) {
  const view = props.cluster.istiodView;
  const rows: Row[] = (view?.clusters ?? []).map(c => ({
    name: c.id,
    secret: c.secretName ?? '',
    status: c.syncStatus,
    istiod: view?.pod?.name ?? '',
  }));
  return (
    <Table<Row>
      title={`Remote clusters of ${props.cluster.cluster} (istioctl remote-clusters)`}
      subtitle={
        view?.error ??
        props.cluster.istiodNotAsked ??
        `as ${props.cluster.cluster}'s istiod lists them in /debug/clusterz`
      }
      options={{ paging: false, search: false, padding: 'dense' }}
      data={rows}
      columns={[
        { title: 'Name', field: 'name' },
        { title: 'Secret', field: 'secret' },
        { title: 'Status', field: 'status' },
        { title: 'istiod', field: 'istiod' },
      ]}
    />
  );
}
