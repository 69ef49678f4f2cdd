import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { CrossClusterTrust } from '@istio-mesh/plugin-istio-mesh-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

const CELL = {
  trusted: <StatusOK>trusted</StatusOK>,
  untrusted: <StatusError>not trusted</StatusError>,
  'not-asked': <StatusPending>not asked</StatusPending>,
};

/**
 * Who trusts whose workloads: each row is the cluster whose istiod issued a workload
 * certificate, each column the cluster whose published root judged it. Hovering a cell
 * gives the reason.
 */
export function TrustMatrix(props: {
  meshId: string;
  clusters: string[];
  trust: CrossClusterTrust[];
}) {
  const { clusters, trust } = props;
  const cell = (issuer: string, verifier: string) =>
    trust.find(t => t.issuer === issuer && t.verifier === verifier);
  const identities = [
    ...new Set(
      trust
        .filter(t => t.spiffeId)
        .map(t => `${t.spiffeId} (trust domain ${t.trustDomain})`),
    ),
  ];
  return (
    <InfoCard title={`Trust between the members of ${props.meshId}`}>
      <Typography variant="body2" paragraph>
        Each member's istiod issued a workload certificate; each other member's
        published root (istio-ca-root-cert) verified it.
        {identities.length > 0 && ` Identity: ${identities.join(', ')}.`}
      </Typography>
      <Table size="small" aria-label={`Trust matrix of ${props.meshId}`}>
        <TableHead>
          <TableRow>
            <TableCell>workloads of ↓ · trusted by →</TableCell>
            {clusters.map(c => (
              <TableCell key={c}>{c}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {clusters.map(issuer => (
            <TableRow key={issuer}>
              <TableCell component="th" scope="row">
                {issuer}
              </TableCell>
              {clusters.map(verifier => {
                const t = cell(issuer, verifier);
                return (
                  <TableCell
                    key={verifier}
                    title={t?.detail}
                    data-trust={`${issuer}-${verifier}`}
                    data-state={t?.state ?? 'self'}
                  >
                    {t ? CELL[t.state] : '—'}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {trust
        .filter(t => t.state !== 'trusted')
        .map(t => (
          <Typography
            key={`${t.issuer}-${t.verifier}`}
            variant="body2"
            color="textSecondary"
          >
            {t.detail}
          </Typography>
        ))}
    </InfoCard>
  );
}
