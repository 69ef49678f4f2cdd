import forge from 'node-forge';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import {
  randomSerialHex,
  signRequestSha256,
  signSha256,
  utf8Attributes,
} from './x509';

// 2048 bits: forge's own signature, the reference here, is slow under Jest.
const { privateKey: keyPem } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const forgeKey = forge.pki.privateKeyFromPem(
  keyPem,
) as forge.pki.rsa.PrivateKey;
const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);

function unsignedCertificate(serialNumber = randomSerialHex()) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber;
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2036-01-01T00:00:00Z');
  const subject = utf8Attributes([{ shortName: 'CN', value: 'Root CA' }]);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'basicConstraints', critical: true, cA: true }]);
  return cert;
}

describe('native SHA-256 RSA signing', () => {
  it("writes the very certificate forge's own sign() writes, which Node verifies", () => {
    const serial = randomSerialHex();
    const native = unsignedCertificate(serial);
    const byForge = unsignedCertificate(serial);
    signSha256(native, keyPem);
    // PKCS #1 v1.5 is deterministic: the same key and bytes give the same signature.
    byForge.sign(forgeKey, forge.md.sha256.create());
    const pem = forge.pki.certificateToPem(native);
    expect(pem).toBe(forge.pki.certificateToPem(byForge));
    const x509 = new X509Certificate(pem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    // forge's verify() reads the digest signSha256 leaves on the object.
    expect(native.verify(native)).toBe(true);
  });

  it('signs a certification request that verifies', () => {
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = publicKey;
    csr.setSubject(utf8Attributes([{ shortName: 'O', value: 'Istio' }]));
    signRequestSha256(csr, keyPem);
    expect(csr.verify()).toBe(true);
    const parsed = forge.pki.certificationRequestFromPem(
      forge.pki.certificationRequestToPem(csr),
    );
    expect(parsed.verify()).toBe(true);
  });
});
