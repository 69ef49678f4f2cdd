import { randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

export type SubjectAttribute = { shortName: 'O' | 'CN' | 'L'; value: string };

/**
 * Subject attributes encoded as UTF8String, in the given order: the Makefile's configs
 * set `utf8 = yes`, and Go matches an issuer to its parent by the raw subject bytes.
 */
export function utf8Attributes(
  attrs: SubjectAttribute[],
): forge.pki.CertificateField[] {
  return attrs.map(a => ({
    shortName: a.shortName,
    value: a.value,
    valueTagClass: forge.asn1.Type.UTF8,
  })) as unknown as forge.pki.CertificateField[];
}

/**
 * A positive serial of 20 random bytes, as `openssl x509 -CAcreateserial` makes. The top
 * bit is cleared because node-forge writes the bytes as a raw INTEGER and Go rejects
 * negative serials; the low bit of the first byte is set so the encoding stays minimal.
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export const CA_KEY_USAGE = {
  name: 'keyUsage',
  critical: true,
  digitalSignature: true,
  nonRepudiation: true,
  keyEncipherment: true,
  keyCertSign: true,
};

/** What node-forge computes when it signs, but does not declare in its types. */
const forgePki = forge.pki as unknown as {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(
    csr: forge.pki.CertificateSigningRequest,
  ): forge.asn1.Asn1;
};

/**
 * The signature forge's sign() would make (SHA-256 with RSA, PKCS #1 v1.5, RFC 8017
 * §8.2), made by Node's native crypto: forge's private-key operation is pure
 * JavaScript and holds the event loop a quarter of a second per 4096-bit signature,
 * and tens of seconds in a Jest sandbox, long enough for every Lease this process
 * holds to lapse.
 */
function signDer<
  T extends {
    md: forge.md.MessageDigest | null;
    signatureOid: string | null;
    siginfo: { algorithmOid: string | null };
    signature: unknown;
  },
>(signed: T, toBeSigned: (signed: T) => forge.asn1.Asn1, keyPem: string) {
  // Set as forge sets them: the part to be signed names the algorithm, and forge's own
  // verify() of the object reads the digest.
  signed.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  signed.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const bytes = forge.asn1.toDer(toBeSigned(signed)).getBytes();
  signed.md = forge.md.sha256.create().update(bytes);
  signed.signature = sign(
    'sha256',
    Buffer.from(bytes, 'binary'),
    keyPem,
  ).toString('binary');
}

/** Signs a certificate with SHA-256 and the RSA key in keyPem, natively. */
export function signSha256(cert: forge.pki.Certificate, keyPem: string) {
  signDer(
    cert,
    c => (c.tbsCertificate = forgePki.getTBSCertificate(c)),
    keyPem,
  );
}

/** Signs a certification request with SHA-256 and the RSA key in keyPem, natively. */
export function signRequestSha256(
  csr: forge.pki.CertificateSigningRequest,
  keyPem: string,
) {
  signDer(
    csr,
    c => (c.certificationRequestInfo = forgePki.getCertificationRequestInfo(c)),
    keyPem,
  );
}

export function privateKeyFromPem(
  pem: string,
  what: string,
): forge.pki.rsa.PrivateKey {
  try {
    return forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  } catch (e) {
    throw new Error(
      `${what} is not an unencrypted RSA private key: ${(e as Error).message}`,
    );
  }
}

export function certificateFromPem(
  pem: string,
  what: string,
): forge.pki.Certificate {
  try {
    return forge.pki.certificateFromPem(pem);
  } catch (e) {
    throw new Error(
      `${what} is not an RSA X.509 certificate: ${(e as Error).message}`,
    );
  }
}
