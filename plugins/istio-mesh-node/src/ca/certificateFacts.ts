import { X509Certificate } from 'node:crypto';
import { pemBlocks } from './pem';

/** What a calendar or a record says about a certificate: all of it public. */
export interface CertificateFacts {
  /** RDNs joined with ", ", in the certificate's order. */
  subject: string;
  /** Hex, as openssl prints it. */
  serial: string;
  /** SHA-256 of the DER, as `openssl x509 -fingerprint -sha256` prints it. */
  sha256: string;
  notBefore: string;
  notAfter: string;
}

export function certificateFacts(cert: X509Certificate): CertificateFacts {
  return {
    subject: cert.subject.split('\n').join(', '),
    serial: cert.serialNumber,
    sha256: cert.fingerprint256,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** Whether parent issued child: the names chain and parent's key verifies the signature. */
export function issuedBy(
  child: X509Certificate,
  parent: X509Certificate,
): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/** Whether two lists hold the same certificates, by DER, in any order. */
export function sameCertificates(
  a: X509Certificate[],
  b: X509Certificate[],
): boolean {
  return (
    a.length === b.length &&
    a.every(x => b.some(y => y.raw.equals(x.raw))) &&
    b.every(y => a.some(x => x.raw.equals(y.raw)))
  );
}

/** The CERTIFICATE blocks of PEM text, parsed, in order. */
export function certificatesIn(pem: string): X509Certificate[] {
  return pemBlocks(pem)
    .filter(b => b.type === 'CERTIFICATE')
    .map(b => new X509Certificate(b.der));
}
