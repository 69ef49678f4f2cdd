import { ProbeCertificate } from '@istio-mesh/plugin-istio-mesh-common';
import forge from 'node-forge';
import { X509Certificate } from 'node:crypto';
import { generateRsaKeyPair } from '../ca/keys';
import { signRequestSha256 } from '../ca/x509';
import { MeshCluster } from '../clusters/meshCluster';
import { readyIstiodPod, withIstiodPortForward } from '../istiod/portForward';
import { createCertificate, ISTIOD_SECURE_GRPC_PORT } from './istioCaClient';
import { trustProbeToken } from './probeServiceAccount';

/** A certificate istiod issued: none of ProbeCertificate's fields is missing. */
export type IssuedProbeCertificate = Required<Omit<ProbeCertificate, 'error'>>;

/** Short: the certificate proves issuance, it is never used. */
const VALIDITY_SECONDS = 600;
const CALL_TIMEOUT_MS = 10_000;

/**
 * Has a cluster's istiod issue a real workload certificate for the probe ServiceAccount,
 * as it would for a sidecar: a fresh key that never leaves this process's memory, a CSR,
 * a ten-minute token with audience istio-ca, and CreateCertificate over TLS through a
 * port-forward to a ready istiod pod's 15012. istiod's serving certificate must chain to
 * `rootBundlePem`, the cluster's published root, so the token goes to no one else.
 */
export async function issueProbeCertificate(
  cluster: MeshCluster,
  rootBundlePem: string,
): Promise<IssuedProbeCertificate> {
  const [pod, token, keys] = await Promise.all([
    readyIstiodPod(cluster),
    trustProbeToken(cluster),
    generateRsaKeyPair(2048),
  ]);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  // istiod takes the identity from the token and ignores the CSR's subject and SANs.
  csr.setSubject([{ shortName: 'O', value: 'istio-mesh trust probe' }]);
  signRequestSha256(csr, keys.privateKeyPem);
  const certChain = await withIstiodPortForward(
    cluster,
    { pod, port: ISTIOD_SECURE_GRPC_PORT },
    address =>
      createCertificate({
        address,
        rootBundlePem,
        token,
        csrPem: forge.pki.certificationRequestToPem(csr),
        validitySeconds: VALIDITY_SECONDS,
        timeoutMs: CALL_TIMEOUT_MS,
      }),
  );
  if (certChain.length < 2) {
    throw new Error(
      `istiod answered with ${certChain.length} certificate(s); a workload certificate comes with its chain and root`,
    );
  }
  // The last element is istiod's whole root bundle: the peer checks against its own.
  const chainPem = certChain.slice(0, -1).join('');
  const spiffeId = /URI:(spiffe:\/\/[^,\s]+)/.exec(
    new X509Certificate(certChain[0]).subjectAltName ?? '',
  )?.[1];
  if (!spiffeId) {
    throw new Error('istiod issued a certificate without a SPIFFE URI SAN');
  }
  return {
    spiffeId,
    trustDomain: new URL(spiffeId).host,
    chainPem,
  };
}
