import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import {
  CALENDAR_ROLE_TITLES,
  CalendarEntry,
  CertificateCalendar as Calendar,
} from '@istio-mesh/plugin-istio-mesh-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

const day = (iso: string) => iso.slice(0, 10);

function DaysLeft(props: { entry: CalendarEntry }) {
  const { daysLeft, state } = props.entry;
  if (state === 'expired') return <StatusError>expired</StatusError>;
  if (state === 'expiring') return <StatusWarning>{daysLeft}</StatusWarning>;
  return <StatusOK>{daysLeft}</StatusOK>;
}

/**
 * When each certificate of the mesh's trust expires: roots, the intermediate each
 * member's istiod signs with, and removed clusters' intermediates the root still
 * trusts. `cluster` narrows it to what one cluster's workloads depend on.
 */
export function CertificateCalendar(props: {
  meshId: string;
  calendar: Calendar;
  cluster?: string;
}) {
  const { meshId, calendar, cluster } = props;
  const entries = calendar.entries.filter(
    e => !cluster || e.role === 'root' || e.clusters.includes(cluster),
  );
  const unknown = calendar.unknown.filter(
    u => !cluster || u.cluster === cluster,
  );
  const soon = entries.filter(e => e.state !== 'valid');
  return (
    <InfoCard title={`Certificate calendar of ${meshId}`}>
      <Typography variant="body2" paragraph>
        Roots as the members publish them (istio-ca-root-cert), intermediates as
        each istiod serves them, and removed intermediates the root still
        trusts. Warning from {calendar.warnDays} days left.
      </Typography>
      {soon.map(e => (
        <Typography key={e.sha256} variant="body2" color="error">
          {CALENDAR_ROLE_TITLES[e.role]} {e.subject} of {e.clusters.join(', ')}{' '}
          {e.state === 'expired'
            ? `expired on ${day(e.notAfter)}`
            : `expires in ${e.daysLeft} days, on ${day(e.notAfter)}`}
        </Typography>
      ))}
      <Table size="small" aria-label={`Certificate calendar of ${meshId}`}>
        <TableHead>
          <TableRow>
            <TableCell>role</TableCell>
            <TableCell>cluster</TableCell>
            <TableCell>subject</TableCell>
            <TableCell>serial · SHA-256</TableCell>
            <TableCell>not before</TableCell>
            <TableCell>not after</TableCell>
            <TableCell>days left</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map(e => (
            <TableRow
              key={`${e.role}-${e.sha256}`}
              data-role={e.role}
              data-state={e.state}
            >
              <TableCell>
                {CALENDAR_ROLE_TITLES[e.role]}
                {e.removedAt && ` (removed ${day(e.removedAt)})`}
              </TableCell>
              <TableCell>{e.clusters.join(', ')}</TableCell>
              <TableCell>{e.subject}</TableCell>
              <TableCell style={{ wordBreak: 'break-all', minWidth: '12em' }}>
                {e.serial}
                <br />
                <Typography
                  variant="caption"
                  color="textSecondary"
                  title={e.sha256}
                >
                  {e.sha256.slice(0, 23)}…
                </Typography>
              </TableCell>
              <TableCell>{day(e.notBefore)}</TableCell>
              <TableCell>{day(e.notAfter)}</TableCell>
              <TableCell>
                <DaysLeft entry={e} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {unknown.map(u => (
        <Typography key={u.cluster} variant="body2" color="textSecondary">
          {u.cluster}: its intermediate is not listed: {u.reason}
        </Typography>
      ))}
      {calendar.removedError && (
        <Typography variant="body2" color="textSecondary">
          Removed intermediates are not listed: {calendar.removedError}
        </Typography>
      )}
    </InfoCard>
  );
}
