import { CoreV1Api } from '@kubernetes/client-node';
import {
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  lockClusters,
} from '@istio-mesh/local-clusters';
import { randomBytes } from 'node:crypto';
import { createIntermediateCa } from '../intermediateCa';
import { createRootCa } from '../rootCa';
import { asFiles } from '../testing';
import { validateCacerts } from '../validateCacerts';
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
    const signer = rootCaSignerFromConfig(
      {
        type: 'kubernetesSecret',
        cluster: 'east',
        namespace,
        secretName: 'istio-mesh-root',
      },
      () => east,
    );
    expect(Object.keys(signer).join(' ')).not.toMatch(/key/i);
    const bundle = await createIntermediateCa(signer, {
      cluster: 'west',
      keySize: 2048,
    });
    expect(validateCacerts(asFiles(bundle)).errors).toEqual([]);
    expect(bundle.rootCert.trim()).toBe(root.certPem.trim());

    const missing = rootCaSignerFromConfig(
      {
        type: 'kubernetesSecret',
        cluster: 'east',
        namespace,
        secretName: 'absent',
      },
      () => east,
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
});
