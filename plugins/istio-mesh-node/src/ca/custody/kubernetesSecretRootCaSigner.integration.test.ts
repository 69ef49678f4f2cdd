import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  lockClusters,
  serviceAccountAccess,
} from '@istio-mesh/local-clusters';
import { randomBytes, X509Certificate } from 'node:crypto';
import { createIntermediateCa } from '../intermediateCa';
import { createRootCa } from '../rootCa';
import { asFiles } from '../testing';
import { validateCacerts } from '../validateCacerts';
import { createRootInCustody } from './createRootInCustody';
import { rootCaSignerFromConfig } from './rootCaSignerFromConfig';

describe('root CA kept in a management cluster Secret', () => {
  const east = kubeConfigFor('east');
  const core = east.makeApiClient(CoreV1Api);
  const namespace = `mesh-root-${randomBytes(3).toString('hex')}`;
  let unlock: () => void;

  // It writes to a shared cluster, which the join suite snapshots: take turns.
  beforeAll(async () => {
    unlock = await lockClusters('root CA Secret');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  afterAll(() => unlock?.());

  /** The signer app-config would make for a Secret in the test's namespace. */
  const signerFor = (
    kc: KubeConfig,
    secretName = 'istio-mesh-root',
    certificateConfigMap?: string,
  ) =>
    rootCaSignerFromConfig(
      {
        type: 'kubernetesSecret',
        cluster: 'east',
        namespace,
        secretName,
        certificateConfigMap,
      },
      () => kc,
    );

  it('signs intermediates without handing out the key, and names the Secret when it is missing', async () => {
    const root = await createRootCa({ keySize: 2048 });
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: 'istio-mesh-root' },
        stringData: {
          'root-cert.pem': root.certPem,
          'root-key.pem': root.keyPem,
        },
      },
    });
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: { name: 'istio-mesh-root' },
        data: { 'root-cert.pem': root.certPem },
      },
    });
    const signer = signerFor(east);
    expect(Object.keys(signer).join(' ')).not.toMatch(/key/i);
    await signer.checkCanSign();
    const bundle = await createIntermediateCa(signer, {
      cluster: 'west',
      keySize: 2048,
    });
    expect(validateCacerts(asFiles(bundle)).errors).toEqual([]);
    expect(bundle.rootCert.trim()).toBe(root.certPem.trim());

    const missing = signerFor(east, 'absent', 'istio-mesh-root');
    await expect(missing.rootCertificatePem()).resolves.toBe(root.certPem);
    await expect(missing.checkCanSign()).rejects.toThrow(
      `Secret ${namespace}/absent in cluster east (HTTP 404)`,
    );
    const failure = createIntermediateCa(missing, {
      cluster: 'west',
      keySize: 2048,
    });
    await expect(failure).rejects.toThrow(
      `Secret ${namespace}/absent in cluster east (HTTP 404)`,
    );
    await expect(failure).rejects.not.toThrow(/BEGIN/);
  }, 60_000);

  it('reads the root certificate without the right to read the Secret that holds the key', async () => {
    const certificateOnly = await serviceAccountAccess(
      'east',
      { name: 'certificate-reader', namespace },
      {
        rules: [
          {
            apiGroups: [''],
            resources: ['configmaps'],
            resourceNames: ['istio-mesh-root'],
            verbs: ['get'],
          },
        ],
      },
    );
    const signer = signerFor(certificateOnly.kubeConfig);
    await expect(signer.rootCertificatePem()).resolves.toMatch(
      /BEGIN CERTIFICATE/,
    );
    await expect(
      signer.signIntermediate({
        csrPem: '',
        cluster: 'west',
        sanDns: 'istiod.istio-system.svc',
        days: 1,
        now: new Date(),
      }),
    ).rejects.toThrow(/HTTP 403/);
  }, 60_000);

  it("refuses to sign, or to give the root a rotation would trust, when the published certificate is not the Secret's, naming both fingerprints", async () => {
    const other = await createRootCa({ keySize: 2048 });
    const kept = (
      await core.readNamespacedSecret({ name: 'istio-mesh-root', namespace })
    ).data!['root-cert.pem'];
    const fingerprint = (pem: string) =>
      new X509Certificate(pem).fingerprint256;
    await core.replaceNamespacedConfigMap({
      name: 'istio-mesh-root',
      namespace,
      body: {
        metadata: { name: 'istio-mesh-root' },
        data: { 'root-cert.pem': other.certPem },
      },
    });
    const signer = signerFor(east);
    await expect(
      createIntermediateCa(signer, { cluster: 'west', keySize: 2048 }),
    ).rejects.toThrow(/is not the one its ConfigMap .* publishes/);
    await expect(signer.custodyRootCertificatePem()).rejects.toThrow(
      `(SHA-256 ${fingerprint(
        Buffer.from(kept, 'base64').toString('utf8'),
      )}) is not the one its ConfigMap ${namespace}/istio-mesh-root publishes (SHA-256 ${fingerprint(
        other.certPem,
      )})`,
    );
  }, 60_000);

  it('makes a new root in custody once: a Secret with the key, a ConfigMap with the certificate, and finishes a run cut off between them', async () => {
    const config = {
      type: 'kubernetesSecret' as const,
      cluster: 'east',
      namespace,
      secretName: 'next-root',
    };
    expect(await createRootInCustody(config, () => east)).toBe(true);
    expect(await createRootInCustody(config, () => east)).toBe(false);
    const signer = signerFor(east, 'next-root');
    await expect(signer.checkCanSign()).resolves.toBeUndefined();
    const made = await signer.rootCertificatePem();
    const bundle = await createIntermediateCa(signer, {
      cluster: 'west',
      keySize: 2048,
    });
    expect(validateCacerts(asFiles(bundle)).errors).toEqual([]);

    // Cut off after the Secret: the next run publishes that root, not a new one.
    await core.deleteNamespacedConfigMap({ name: 'next-root', namespace });
    expect(await createRootInCustody(config, () => east)).toBe(true);
    expect(await signer.rootCertificatePem()).toBe(made);
  }, 120_000);
});
