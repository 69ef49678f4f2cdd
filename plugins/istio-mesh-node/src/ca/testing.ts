import forge from 'node-forge';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacertsBundle, cacertsFiles } from './bundle';
import { createIntermediateCa } from './intermediateCa';
import { IntermediateCaOptions, RootCaOptions } from './profile';
import { createRootCa, RootCa } from './rootCa';
import { generateRsaKeyPair } from './keys';
import { RootCaSigner } from './signer';
import { certificateFromPem, randomSerialHex, signSha256 } from './x509';
import { rootKeyPair, signIntermediateWithRootKey } from './signWithRootKey';

/** An in-memory root for tests; production code keeps the key in a custody backend. */
export function inMemorySigner(root: RootCa): RootCaSigner {
  return {
    description: 'in-memory test root',
    rootCertificatePem: async () => root.certPem,
    custodyRootCertificatePem: async () => root.certPem,
    checkCanSign: async () => {
      rootKeyPair(root.certPem, root.keyPem);
    },
    signIntermediate: async request =>
      signIntermediateWithRootKey(request, root.certPem, root.keyPem),
  };
}

export async function makeMesh(
  clusters: string[],
  rootOptions: RootCaOptions = {},
  intermediateOptions: Partial<IntermediateCaOptions> = {},
): Promise<{ root: RootCa; bundles: Record<string, CacertsBundle> }> {
  const root = await createRootCa(rootOptions);
  const bundles: Record<string, CacertsBundle> = {};
  for (const cluster of clusters) {
    bundles[cluster] = await createIntermediateCa(inMemorySigner(root), {
      ...intermediateOptions,
      cluster,
    });
  }
  return { root, bundles };
}

/** The bundle as the cacerts secret's data keys, open to tampering by a test. */
export function asFiles(bundle: CacertsBundle): Record<string, string> {
  return { ...cacertsFiles(bundle) };
}

export function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-mesh-ca-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

export function writeFiles(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, name), text);
}

/**
 * A workload certificate as istiod issues it from a cluster's cacerts: a leaf with the
 * SPIFFE URI SAN, signed by ca-cert.pem, presented with cert-chain.pem.
 */
export async function issueWorkloadCertificate(
  bundle: CacertsBundle,
  options: { spiffeId?: string; notAfter?: Date } = {},
): Promise<string> {
  const keys = await generateRsaKeyPair(2048);
  const ca = certificateFromPem(bundle.caCert, 'ca-cert.pem');
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 3600_000);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    {
      name: 'subjectAltName',
      critical: true,
      altNames: [
        {
          type: 6,
          value:
            options.spiffeId ??
            'spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe',
        },
      ],
    },
  ]);
  signSha256(cert, bundle.caKey);
  return forge.pki.certificateToPem(cert) + bundle.certChain;
}
