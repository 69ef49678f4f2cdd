import { CoreV1Api } from '@kubernetes/client-node';
import { RemovedIntermediate } from '@istio-mesh/plugin-istio-mesh-common';
import { X509Certificate } from 'node:crypto';
import { CACERTS_FILES } from '../ca/bundle';
import { certificateFacts, certificatesIn } from '../ca/certificateFacts';
import { MeshCluster } from '../clusters/meshCluster';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import { CACERTS_SECRET, ISTIO_SYSTEM } from '../mesh/names';
import { StepLog } from '../progress/stepLog';
import {
  recordRemovedIntermediate,
  REMOVED_INTERMEDIATES_CONFIGMAP,
} from '../status/removedIntermediates';

const STEP = 'remove';

/** The cluster's cacerts intermediate and the root it names, if it has cacerts. */
async function readIntermediate(
  cluster: MeshCluster,
): Promise<
  { intermediate: X509Certificate; root?: X509Certificate } | undefined
> {
  const secret = await cluster
    .kubeConfig()
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ name: CACERTS_SECRET, namespace: ISTIO_SYSTEM })
    .catch(e => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
  const first = (file: string): X509Certificate | undefined => {
    const data = secret?.data?.[file];
    return data
      ? certificatesIn(Buffer.from(data, 'base64').toString('utf8'))[0]
      : undefined;
  };
  const intermediate = first(CACERTS_FILES.caCert);
  return intermediate && { intermediate, root: first(CACERTS_FILES.rootCert) };
}

/**
 * Revokes what a leaving cluster's CA could do: its intermediate is signed by the mesh
 * root and valid for years, so while the cluster holds it, its istiod can issue
 * certificates every member trusts. Records the intermediate (subject, serial, SHA-256,
 * validity, the root that signed it) in the management cluster as removed but still
 * trusted until it expires, then deletes the cluster's cacerts. A re-run finds no
 * cacerts and does nothing.
 */
export async function revokeIntermediate(run: {
  env: MeshEnvironment;
  cluster: MeshCluster;
  clusterName: string;
  meshId?: string;
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { env, cluster, clusterName, meshId, dryRun, log } = run;
  const secret = `Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET}`;
  try {
    const cacerts = await readIntermediate(cluster);
    if (!cacerts) return;
    const removed: RemovedIntermediate = {
      cluster: cluster.name,
      clusterName,
      meshId,
      ...certificateFacts(cacerts.intermediate),
      rootSha256: cacerts.root?.fingerprint256,
      removedAt: new Date().toISOString(),
    };
    const what = `intermediate ${removed.subject} (serial ${removed.serial})`;
    if (dryRun) {
      log.info(
        `cluster ${cluster.name}: ${secret} would be deleted, and its ${what} recorded as removed, still trusted until ${removed.notAfter}`,
      );
      return;
    }
    await recordRemovedIntermediate(
      {
        cluster: findCluster(env, env.lease.cluster),
        namespace: env.lease.namespace,
      },
      removed,
    );
    await cluster.kubeConfig().makeApiClient(CoreV1Api).deleteNamespacedSecret({
      name: CACERTS_SECRET,
      namespace: ISTIO_SYSTEM,
    });
    log.info(
      `cluster ${cluster.name}: ${secret} deleted; its ${what} is recorded in ConfigMap ${env.lease.namespace}/${REMOVED_INTERMEDIATES_CONFIGMAP} of cluster ${env.lease.cluster} as removed, still trusted by the mesh root until ${removed.notAfter}. An istiod still running there holds it in memory until it restarts or is uninstalled`,
    );
  } catch (e) {
    if (e instanceof MeshStepError) throw e;
    throw new MeshStepError(
      cluster.name,
      STEP,
      `cannot revoke its intermediate (${describeKubeError(e)})`,
      `give the istioMesh credentials the right to read and delete ${secret} here and to write ConfigMaps in ${env.lease.namespace} of cluster ${env.lease.cluster}, then re-run`,
    );
  }
}
