import { alignedColumns } from './alignedColumns';
import { CrossClusterTrust } from '@istio-mesh/plugin-istio-mesh-common';

const MARK = {
  trusted: 'trusted',
  untrusted: 'NOT TRUSTED',
  'not-asked': 'not asked',
};

/**
 * The trust matrix for logs: a grid (rows issue, columns verify), then one sentence per
 * pair, e.g. "east's workloads are trusted by west", with the identity that was proven.
 *
 * @public
 */
export function formatTrustMatrix(
  clusters: string[],
  trust: CrossClusterTrust[],
): string[] {
  const cell = (issuer: string, verifier: string) => {
    const t = trust.find(p => p.issuer === issuer && p.verifier === verifier);
    return t ? MARK[t.state] : '-';
  };
  const table = [
    ['WORKLOADS OF \\ TRUSTED BY', ...clusters],
    ...clusters.map(issuer => [
      issuer,
      ...clusters.map(verifier => cell(issuer, verifier)),
    ]),
  ];
  const grid = alignedColumns(table, 3);
  const sentences = trust.map(t =>
    t.spiffeId && t.state === 'trusted'
      ? `${t.detail} (${t.spiffeId}, trust domain ${t.trustDomain})`
      : t.detail,
  );
  return [...grid, ...sentences];
}
