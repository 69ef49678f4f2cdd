import {
  ClusterMembership,
  CrossClusterTrust,
} from '@istio-mesh/plugin-istio-mesh-common';
import { verifyChain } from '../../ca/verifyChain';
import { MeshRule, Verdict } from '../rule';

function judgePair(
  issuer: ClusterMembership,
  verifier: ClusterMembership,
  now: Date,
): CrossClusterTrust {
  const pair = { issuer: issuer.cluster, verifier: verifier.cluster };
  if (!issuer.istiodView) {
    return {
      ...pair,
      state: 'not-asked',
      detail: `${issuer.cluster}'s istiod was not asked for a certificate (${
        issuer.istiodNotAsked ?? 'istiod was not asked'
      })`,
    };
  }
  const probe = issuer.istiodView.probeCertificate;
  if (!probe?.chainPem) {
    return {
      ...pair,
      state: 'untrusted',
      detail: `${issuer.cluster}'s istiod issued no certificate: ${
        probe?.error ?? issuer.istiodView.error ?? 'no answer'
      }`,
    };
  }
  const named = { spiffeId: probe.spiffeId, trustDomain: probe.trustDomain };
  if (!verifier.rootCertPem) {
    return {
      ...pair,
      ...named,
      state: 'untrusted',
      detail: `${verifier.cluster} publishes no root (ConfigMap istio-ca-root-cert in istio-system)`,
    };
  }
  const verdict = verifyChain(probe.chainPem, verifier.rootCertPem, now);
  return verdict.trusted
    ? {
        ...pair,
        ...named,
        state: 'trusted',
        detail: `${issuer.cluster}'s workloads are trusted by ${verifier.cluster}`,
      }
    : {
        ...pair,
        ...named,
        state: 'untrusted',
        detail: `${issuer.cluster}'s workloads are not trusted by ${verifier.cluster}: ${verdict.reason}`,
      };
}

/**
 * The trust matrix: for every ordered pair of distinct members, whether a workload
 * certificate the first one's istiod issued verifies against the second one's
 * published root bundle, as the second one's sidecars would verify it in mTLS.
 *
 * @public
 */
export function trustMatrix(
  members: ClusterMembership[],
  now: Date = new Date(),
): CrossClusterTrust[] {
  return members.flatMap(issuer =>
    members
      .filter(verifier => verifier !== issuer)
      .map(verifier => judgePair(issuer, verifier, now)),
  );
}

function judge(members: ClusterMembership[]): Verdict {
  const pairs = trustMatrix(members);
  const untrusted = pairs.filter(p => p.state === 'untrusted');
  const notAsked = pairs.filter(p => p.state === 'not-asked');
  const involved = (ps: CrossClusterTrust[]) => [
    ...new Set(ps.flatMap(p => [p.issuer, p.verifier])),
  ];
  if (untrusted.length) {
    return {
      state: 'fail',
      detail: untrusted.map(p => p.detail).join('; '),
      fix: "give every member a cacerts from the mesh's one root (rotate the cluster's CA), then restart istiod there",
      clusters: involved(untrusted),
    };
  }
  if (pairs.length && notAsked.length === pairs.length) {
    return {
      state: 'not-asked',
      detail: [...new Set(notAsked.map(p => p.detail))].join('; '),
      fix: 'let istiod be asked: install it (join the cluster), and run without skipIstiodChecks',
      clusters: involved(notAsked),
    };
  }
  const identities = [
    ...new Set(
      pairs
        .filter(p => p.state === 'trusted')
        .map(p => `${p.spiffeId} (trust domain ${p.trustDomain})`),
    ),
  ];
  return {
    state: 'pass',
    detail: pairs.length
      ? `each member's workload certificate is trusted by every other member: ${identities.join(
          ', ',
        )}${
          notAsked.length
            ? `; not asked: ${[...new Set(notAsked.map(p => p.detail))].join(
                '; ',
              )}`
            : ''
        }`
      : 'a mesh of one member: no other member to trust its workloads',
    clusters: [],
  };
}

/**
 * Each member's istiod issues a real workload certificate, and every other member's
 * published root verifies it: the proof that mTLS across clusters can succeed.
 */
export const crossClusterTrust: MeshRule = {
  id: 'cross-cluster-trust',
  title: "Every member trusts every other member's workloads",
  asksIstiod: true,
  judge,
};
