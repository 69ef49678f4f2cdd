import {
  StatusError,
  StatusOK,
  StatusPending,
  Table,
} from '@backstage/core-components';
import { MeshHealthCheck } from '@istio-mesh/plugin-istio-mesh-common';

const STATUS = {
  pass: <StatusOK>pass</StatusOK>,
  fail: <StatusError>fail</StatusError>,
  'not-asked': <StatusPending>not asked</StatusPending>,
};

/** Health checks, failures first, each with its one-line fix. */
export function CheckList(props: {
  checks: MeshHealthCheck[];
  title?: string;
}) {
  const order = { fail: 0, 'not-asked': 1, pass: 2 };
  const rows = [...props.checks].sort(
    (a, b) => order[a.state] - order[b.state],
  );
  return (
    <Table<MeshHealthCheck>
      title={props.title ?? 'Health checks'}
      options={{ paging: false, search: false, padding: 'dense' }}
      data={rows}
      columns={[
        { title: 'Check', field: 'title' },
        { title: 'State', render: c => STATUS[c.state] },
        { title: 'Detail', field: 'detail' },
        { title: 'Fix', render: c => c.fix ?? '' },
      ]}
    />
  );
}
