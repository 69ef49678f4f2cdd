import forge from 'node-forge';
import { CacertsBundle, joinPem } from './bundle';
import { generateRsaKeyPair } from './keys';
import {
  IntermediateCaOptions,
  INTERMEDIATE_CA_DEFAULTS,
  withDefaults,
} from './profile';
import { RootCaSigner } from './signer';
import { signRequestSha256, utf8Attributes } from './x509';

/** A DNS-1123 label: the cluster name becomes a secret name and a file path elsewhere. */
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function assertClusterName(cluster: string): void {
  if (!CLUSTER_NAME.test(cluster)) {
    throw new Error(
      `cluster name "${cluster}" is not a DNS-1123 label: use lower-case letters, digits and '-', at most 63 characters`,
    );
  }
}

/**
 * Makes the cacerts bundle for one cluster, as
 * `make -f Makefile.selfsigned.mk <cluster>-cacerts` does: a fresh intermediate key,
 * signed by the root, with cert-chain.pem = ca-cert.pem followed by root-cert.pem.
 *
 * @public
 */
export async function createIntermediateCa(
  signer: RootCaSigner,
  options: IntermediateCaOptions,
): Promise<CacertsBundle> {
  const o = withDefaults(INTERMEDIATE_CA_DEFAULTS, options);
  assertClusterName(o.cluster);
  if (!Number.isInteger(o.days) || o.days < 1) {
    throw new Error(
      `intermediate validity must be a whole number of days, at least 1; got ${o.days}`,
    );
  }
  const keys = await generateRsaKeyPair(o.keySize);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  csr.setSubject(
    utf8Attributes([
      { shortName: 'O', value: o.organization },
      { shortName: 'CN', value: o.commonName },
      { shortName: 'L', value: o.cluster },
    ]),
  );
  signRequestSha256(csr, keys.privateKeyPem);
  const rootCert = await signer.rootCertificatePem();
  const caCert = await signer.signIntermediate({
    csrPem: forge.pki.certificationRequestToPem(csr),
    cluster: o.cluster,
    sanDns: o.sanDns,
    days: o.days,
    now: o.now ?? new Date(),
  });
  return {
    caCert: joinPem(caCert),
    caKey: joinPem(keys.privateKeyPem),
    // A byte copy, as the Makefile's cp makes it.
    rootCert,
    certChain: joinPem(caCert, rootCert),
  };
}
