import {
  StatusError,
  StatusOK,
  StatusPending,
  Table,
} from '@backstage/core-components';
import { MeshHealthCheck } from '@istio-mesh/plugin-istio-mesh-common';
import Typography from '@material-ui/core/Typography';

const STATUS = {
  pass: <StatusOK>pass</StatusOK>,
  fail: <StatusError>fail</StatusError>,
  'not-asked': <StatusPending>not asked</StatusPending>,
  pending: <StatusPending>pending</StatusPending>,
};

/** Health checks, failures first, each with its one-line fix. */
export function CheckList(props: {
  checks: MeshHealthCheck[];
  title?: string;
}) {
  const order = { fail: 0, pending: 1, 'not-asked': 2, pass: 3 };
  const rows = [...props.checks].sort(
    (a, b) => order[a.state] - order[b.state],
  );
  return (
    <Table<MeshHealthCheck>
      title={props.title ?? 'Health checks'}
      options={{ paging: false, search: false, padding: 'dense' }}
      data={rows}
      columns={[
        { title: 'Check', field: 'title', width: '22%' },
        { title: 'State', render: c => STATUS[c.state], width: '12%' },
        // The fix sits under what was found: a passing check has none, and a column
        // of its own would stand empty beside details squeezed word by word.
        {
          title: 'Detail and fix',
          render: c => (
            <>
              <Typography variant="body2">{c.detail}</Typography>
              {c.fix && (
                <Typography variant="body2" color="textSecondary">
                  Fix: {c.fix}
                </Typography>
              )}
            </>
          ),
        },
      ]}
    />
  );
}
