import forge from 'node-forge';
import { generateRsaKeyPair } from './keys';
import {
  addDays,
  RootCaOptions,
  ROOT_CA_DEFAULTS,
  withDefaults,
} from './profile';
import {
  CA_KEY_USAGE,
  randomSerialHex,
  signSha256,
  utf8Attributes,
} from './x509';

/** @public */
export interface RootCa {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed root as `make -f Makefile.selfsigned.mk root-ca` makes it: subject
 * O then CN, SubjectKeyIdentifier, critical CA:TRUE without pathlen, critical keyUsage,
 * and no AuthorityKeyIdentifier.
 *
 * @public
 */
export async function createRootCa(
  options: RootCaOptions = {},
): Promise<RootCa> {
  const o = withDefaults(ROOT_CA_DEFAULTS, options);
  if (!Number.isInteger(o.days) || o.days < 1) {
    throw new Error(
      `root CA validity must be a whole number of days, at least 1; got ${o.days}`,
    );
  }
  const keys = await generateRsaKeyPair(o.keySize);
  const now = o.now ?? new Date();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = now;
  cert.validity.notAfter = addDays(now, o.days);
  const subject = utf8Attributes([
    { shortName: 'O', value: o.organization },
    { shortName: 'CN', value: o.commonName },
  ]);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    { name: 'basicConstraints', critical: true, cA: true },
    CA_KEY_USAGE,
  ]);
  signSha256(cert, keys.privateKeyPem);
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: keys.privateKeyPem,
  };
}
