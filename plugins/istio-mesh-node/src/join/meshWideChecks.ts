import { MeshMember } from './members';

/** The trust domain istiod's mesh config has unless meshConfig.trustDomain says otherwise. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** What pre-flight refuses, with the fix, and what it only warns about. */
export interface MeshWideFindings {
  refusals: { problem: string; fix: string }[];
  warnings: string[];
}

/** The minor of an Istio version (31 for 1.31.0-dev-abc), if it is one. */
export function istioMinor(version: string | undefined): number | undefined {
  const m = /^v?1\.(\d+)(?:[.-]|$)/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

function names(members: MeshMember[]): string {
  return members.map(m => m.cluster.name).join(', ');
}

/**
 * What a joining cluster must agree on with the members of its mesh, before anything
 * is applied:
 * - Istio versions: control planes one minor apart are what an upgrade passes
 *   through, cluster by cluster, and are warned about; further apart is refused, a
 *   mesh no upgrade path leaves behind;
 * - the network: one shared with a member says the two clusters' pods reach each
 *   other directly, so istiod sends traffic to pod IPs instead of the east-west
 *   gateway; refused unless the join says the network is shared on purpose;
 * - the trust domain: workload identities are spiffe://<trust domain>/…, and a member
 *   in another trust domain is not trusted by its peers' authorization policies.
 */
export function meshWideFindings(join: {
  cluster: string;
  network: string;
  istioVersion: string;
  trustDomain: string;
  sharedNetwork?: boolean;
  /** The other members of the mesh the cluster joins. */
  peers: MeshMember[];
}): MeshWideFindings {
  const findings: MeshWideFindings = { refusals: [], warnings: [] };
  const { peers } = join;
  const minor = istioMinor(join.istioVersion);
  if (minor !== undefined) {
    const skew = (m: MeshMember) => {
      const theirs = istioMinor(m.version);
      return theirs === undefined ? 0 : Math.abs(theirs - minor);
    };
    const far = peers.filter(m => skew(m) > 1);
    const near = peers.filter(m => skew(m) === 1);
    if (far.length) {
      findings.refusals.push({
        problem: `Istio ${
          join.istioVersion
        } is more than one minor from the control plane of ${far
          .map(m => `${m.cluster.name} (${m.version})`)
          .join(', ')}`,
        fix: 'join with a chart version (istioVersion) within one minor of every member, or upgrade those members a minor at a time first',
      });
    }
    if (near.length) {
      findings.warnings.push(
        `cluster ${join.cluster}: Istio ${
          join.istioVersion
        } is one minor from the control plane of ${near
          .map(m => `${m.cluster.name} (${m.version})`)
          .join(
            ', ',
          )}; supported while an upgrade goes through the mesh, not to stay`,
      );
    }
  }
  const sameNetwork = peers.filter(m => m.network === join.network);
  if (sameNetwork.length && !join.sharedNetwork) {
    findings.refusals.push({
      problem: `network "${join.network}" is already the network of ${names(
        sameNetwork,
      )}: istiod would send their traffic to this cluster's pod IPs directly, not through the east-west gateway`,
      fix: `give the cluster a network of its own (network-${join.cluster}), or set sharedNetwork if its pods and theirs reach each other directly`,
    });
  }
  const otherDomain = peers.filter(
    m => (m.trustDomain ?? DEFAULT_TRUST_DOMAIN) !== join.trustDomain,
  );
  if (otherDomain.length) {
    findings.refusals.push({
      problem: `trust domain "${join.trustDomain}" differs from ${otherDomain
        .map(
          m => `${m.cluster.name}'s "${m.trustDomain ?? DEFAULT_TRUST_DOMAIN}"`,
        )
        .join(', ')}`,
      fix: "give every member one trust domain: set meshConfig.trustDomain in the cluster's istiod chartValues to the members'",
    });
  }
  return findings;
}

/** The trust domain an istiod installed with these chart values gets. */
export function trustDomainOf(istiodValues: unknown): string {
  const meshConfig = (
    istiodValues as { meshConfig?: { trustDomain?: unknown } }
  )?.meshConfig;
  return typeof meshConfig?.trustDomain === 'string' && meshConfig.trustDomain
    ? meshConfig.trustDomain
    : DEFAULT_TRUST_DOMAIN;
}
