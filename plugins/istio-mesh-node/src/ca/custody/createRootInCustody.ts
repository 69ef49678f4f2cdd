import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isNotFound } from '../../mesh/errors';
import { ROOT_FILES, writeRootCaDir } from '../files';
import { createRootCa } from '../rootCa';
import { RootCaConfig } from './rootCaSignerFromConfig';

/**
 * Makes a new root where the config says to keep it, unless one is there: the root a
 * rotation moves the mesh to. The key exists in memory while it is written, and then
 * only in custody; nothing returns it. Returns whether a root was made.
 */
export async function createRootInCustody(
  config: RootCaConfig,
  kubeConfigForCluster: (cluster: string) => KubeConfig,
): Promise<boolean> {
  if (config.type === 'file') {
    if (existsSync(join(config.directory, ROOT_FILES.cert))) return false;
    await writeRootCaDir(config.directory, await createRootCa());
    return true;
  }
  const core = kubeConfigForCluster(config.cluster).makeApiClient(CoreV1Api);
  const { namespace, secretName } = config;
  const configMap = config.certificateConfigMap ?? secretName;
  const exists = await core
    .readNamespacedConfigMap({ name: configMap, namespace })
    .then(
      () => true,
      e => {
        if (isNotFound(e)) return false;
        throw e;
      },
    );
  if (exists) return false;
  // A Secret without its ConfigMap is a run cut off between the two: publish its root.
  const kept = await core
    .readNamespacedSecret({ name: secretName, namespace })
    .then(
      secret => secret.data?.[ROOT_FILES.cert],
      e => {
        if (isNotFound(e)) return undefined;
        throw e;
      },
    );
  let certPem = kept && Buffer.from(kept, 'base64').toString('utf8');
  if (!certPem) {
    const root = await createRootCa();
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: secretName, namespace },
        type: 'Opaque',
        data: {
          [ROOT_FILES.cert]: Buffer.from(root.certPem).toString('base64'),
          [ROOT_FILES.key]: Buffer.from(root.keyPem).toString('base64'),
        },
      },
    });
    certPem = root.certPem;
  }
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: { name: configMap, namespace },
      data: { [ROOT_FILES.cert]: certPem },
    },
  });
  return true;
}
