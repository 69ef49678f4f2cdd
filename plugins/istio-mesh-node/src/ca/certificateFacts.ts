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

/** The CERTIFICATE blocks of PEM text, parsed, in order. */
export function certificatesIn(pem: string): X509Certificate[] {
  return pemBlocks(pem)
    .filter(b => b.type === 'CERTIFICATE')
    .map(b => new X509Certificate(b.der));
}
