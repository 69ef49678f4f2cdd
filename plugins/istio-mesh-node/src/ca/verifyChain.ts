import { X509Certificate } from 'node:crypto';
import { certificatesIn as certificates, issuedBy } from './certificateFacts';

/** Whether a presented chain leads to one of a bundle's roots, and if not, why. */
export type ChainVerdict =
  | { trusted: true }
  | { trusted: false; reason: string };

/** A workload leaf has no subject, only its SPIFFE ID. */
const subjectOf = (cert: X509Certificate) =>
  cert.subject
    ? cert.subject.replace(/\n/g, ', ')
    : `the certificate of ${cert.subjectAltName ?? 'no name'}`;

/**
 * Verifies a presented chain (leaf first, then the certificates that sign it) against a
 * root bundle, as a TLS peer holding that bundle would: every link's signature, every
 * certificate's validity window, and a root of the bundle at the end. The bundle may
 * hold several roots (istio-ca-root-cert during a root rotation); any of them will do.
 */
export function verifyChain(
  chainPem: string,
  rootBundlePem: string,
  now: Date = new Date(),
): ChainVerdict {
  const chain = certificates(chainPem);
  const roots = certificates(rootBundlePem);
  if (chain.length === 0)
    return { trusted: false, reason: 'no certificate was presented' };
  if (roots.length === 0)
    return { trusted: false, reason: 'the root bundle holds no certificate' };
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i];
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
      return {
        trusted: false,
        reason: `${subjectOf(cert)} is valid only from ${cert.validFrom} to ${
          cert.validTo
        }`,
      };
    }
    if (
      roots.some(
        root =>
          root.fingerprint256 === cert.fingerprint256 || issuedBy(cert, root),
      )
    ) {
      return { trusted: true };
    }
    const next = chain[i + 1];
    if (!next || !issuedBy(cert, next)) {
      return {
        trusted: false,
        reason: `no root of the bundle signed ${subjectOf(
          cert,
        )}, issued by ${cert.issuer.replace(/\n/g, ', ')}`,
      };
    }
  }
  return {
    trusted: false,
    reason: 'the chain ends without reaching a root of the bundle',
  };
}
