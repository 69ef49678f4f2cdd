import { randomBytes } from 'node:crypto';
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

export function signSha256(
  cert: forge.pki.Certificate,
  key: forge.pki.PrivateKey,
) {
  cert.sign(key as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
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
