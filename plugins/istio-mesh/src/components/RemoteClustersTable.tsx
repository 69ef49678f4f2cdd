import { Table } from '@backstage/core-components';
import {
  ClusterMembership,
  RemoteClusterRow,
  remoteClusterRows,
} from '@istio-mesh/plugin-istio-mesh-common';

/**
 * The clusters this cluster's istiod reads, from its /debug/clusterz: the table
 * `istioctl remote-clusters` prints for it.
 */
export function RemoteClustersTable(props: { cluster: ClusterMembership }) {
  const view = props.cluster.istiodView;
  return (
    <Table<RemoteClusterRow>
      title={`Remote clusters of ${props.cluster.cluster} (istioctl remote-clusters)`}
      subtitle={
        view?.error ??
        props.cluster.istiodNotAsked ??
        `as ${props.cluster.cluster}'s istiod lists them in /debug/clusterz`
      }
      options={{ paging: false, search: false, padding: 'dense' }}
      data={remoteClusterRows(props.cluster)}
      columns={[
        { title: 'Name', field: 'name' },
        { title: 'Secret', field: 'secret' },
        { title: 'Status', field: 'status' },
        { title: 'istiod', field: 'istiod' },
        { title: 'Revision', field: 'revision' },
      ]}
    />
  );
}
