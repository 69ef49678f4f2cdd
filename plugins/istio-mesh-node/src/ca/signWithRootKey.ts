import forge from 'node-forge';
import { addDays } from './profile';
import { IntermediateSigningRequest } from './signer';
import {
  CA_KEY_USAGE,
  certificateFromPem,
  privateKeyFromPem,
  randomSerialHex,
  signSha256,
} from './x509';

/** How far back an intermediate's notBefore is set. */
const CLOCK_SKEW_MINUTES = 5;

/**
 * Signs an intermediate with a root key held in memory for this call only, with the
 * extensions of the Makefile's intermediate.conf as OpenSSL 3 renders them: the issuer
 * is copied from the root's subject so the raw bytes match, and an
 * AuthorityKeyIdentifier names the root's key.
 */
export function signIntermediateWithRootKey(
  request: IntermediateSigningRequest,
  rootCertPem: string,
  rootKeyPem: string,
): string {
  const { root } = rootKeyPair(rootCertPem, rootKeyPem);
  const csr = forge.pki.certificationRequestFromPem(request.csrPem);
  if (!csr.verify()) {
    throw new Error(
      `the signing request for cluster ${request.cluster} has a bad signature`,
    );
  }
  if (request.now >= root.validity.notAfter) {
    throw new Error(
      `the root expired on ${root.validity.notAfter.toISOString()}: rotate the root before signing an intermediate for cluster ${
        request.cluster
      }`,
    );
  }
  // An intermediate must not outlive its root. With the Makefile's defaults (both 3650
  // days) it would by the minutes between the two runs, so cap it at the root's expiry.
  const requested = addDays(request.now, request.days);
  const notAfter =
    requested > root.validity.notAfter ? root.validity.notAfter : requested;
  const rootSki = root.getExtension('subjectKeyIdentifier') as
    | { subjectKeyIdentifier: string }
    | undefined;
  if (!rootSki) {
    throw new Error(
      "root-cert.pem has no SubjectKeyIdentifier: it is not a root made by this tool or by Istio's Makefile",
    );
  }

  const cert = forge.pki.createCertificate();
  cert.publicKey = csr.publicKey as forge.pki.rsa.PublicKey;
  cert.serialNumber = randomSerialHex();
  // Backdated for peers whose clocks lag (docs/istio-procedure.md §1), never to before
  // the root's own start.
  const backdated = new Date(
    request.now.getTime() - CLOCK_SKEW_MINUTES * 60_000,
  );
  cert.validity.notBefore =
    backdated < root.validity.notBefore ? root.validity.notBefore : backdated;
  cert.validity.notAfter = notAfter;
  cert.setSubject(csr.subject.attributes);
  cert.setIssuer(root.subject.attributes);
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    {
      name: 'basicConstraints',
      critical: true,
      cA: true,
      pathLenConstraint: 0,
    },
    CA_KEY_USAGE,
    { name: 'subjectAltName', altNames: [{ type: 2, value: request.sanDns }] },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: forge.util.hexToBytes(rootSki.subjectKeyIdentifier),
    },
  ]);
  signSha256(cert, rootKeyPem);
  return forge.pki.certificateToPem(cert);
}

/** Parses the root certificate alone, for a check that must not read the key. */
export function rootCertificate(rootCertPem: string) {
  return certificateFromPem(rootCertPem, 'root-cert.pem');
}

/** Parses the root pair and refuses a key that does not belong to the certificate. */
export function rootKeyPair(rootCertPem: string, rootKeyPem: string) {
  const root = certificateFromPem(rootCertPem, 'root-cert.pem');
  const rootKey = privateKeyFromPem(rootKeyPem, 'the root key');
  const rootPublic = root.publicKey as forge.pki.rsa.PublicKey;
  if (rootPublic.n.compareTo(rootKey.n) !== 0) {
    throw new Error(
      'the root key does not belong to root-cert.pem: keep the pair together',
    );
  }
  return { root, rootKey };
}
