import {
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import { CACERTS_FILES } from '../ca/bundle';
import { pemBlocks } from '../ca/pem';
import { MeshCluster } from '../clusters/meshCluster';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { FIELD_MANAGER } from '../kube/apply';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import { CACERTS_SECRET, ISTIO_SYSTEM } from '../mesh/names';
import { StepLog } from '../progress/stepLog';

const STEP = 'remove';

/**
 * Where removed intermediates are recorded, in the lease namespace of the management
 * cluster: the mesh root still trusts them until they expire.
 */
const REMOVED_INTERMEDIATES_CONFIGMAP = 'istio-mesh-removed-intermediates';

/** One removed intermediate, as recorded: all of it public. */
interface RemovedIntermediate {
  cluster: string;
  clusterName: string;
  subject: string;
  serial: string;
  sha256: string;
  notAfter: string;
  removedAt: string;
}

async function readIntermediate(
  cluster: MeshCluster,
): Promise<X509Certificate | undefined> {
  const secret = await cluster
    .kubeConfig()
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ name: CACERTS_SECRET, namespace: ISTIO_SYSTEM })
    .catch(e => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
  const caCert = secret?.data?.[CACERTS_FILES.caCert];
  const block = caCert
    ? pemBlocks(Buffer.from(caCert, 'base64').toString('utf8')).find(
        b => b.type === 'CERTIFICATE',
      )
    : undefined;
  return block && new X509Certificate(block.der);
}

async function record(env: MeshEnvironment, removed: RemovedIntermediate) {
  const kc = findCluster(env, env.lease.cluster).kubeConfig();
  const key = `${removed.clusterName}.${removed.serial}`;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: REMOVED_INTERMEDIATES_CONFIGMAP,
      namespace: env.lease.namespace,
    },
    data: { [key]: JSON.stringify(removed) },
  };
  const api = KubernetesObjectApi.makeApiClient(kc);
  // A merge adds this key and keeps the others; an apply would drop earlier records.
  await api
    .patch(
      configMap,
      undefined,
      undefined,
      FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    )
    .catch(async e => {
      if (!isNotFound(e)) throw e;
      await api.create(configMap, undefined, undefined, FIELD_MANAGER);
    });
}

/**
 * Revokes what a leaving cluster's CA could do: its intermediate is signed by the mesh
 * root and valid for years, so while the cluster holds it, its istiod can issue
 * certificates every member trusts. Records the intermediate (subject, serial, SHA-256,
 * notAfter) in the management cluster as removed but still trusted until it expires,
 * then deletes the cluster's cacerts. A re-run finds no cacerts and does nothing.
 */
export async function revokeIntermediate(run: {
  env: MeshEnvironment;
  cluster: MeshCluster;
  clusterName: string;
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { env, cluster, clusterName, dryRun, log } = run;
  const secret = `Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET}`;
  try {
    const intermediate = await readIntermediate(cluster);
    if (!intermediate) return;
    const removed: RemovedIntermediate = {
      cluster: cluster.name,
      clusterName,
      subject: intermediate.subject.replace(/\n/g, ', '),
      serial: intermediate.serialNumber,
      sha256: intermediate.fingerprint256,
      notAfter: new Date(intermediate.validTo).toISOString(),
      removedAt: new Date().toISOString(),
    };
    const what = `intermediate ${removed.subject} (serial ${removed.serial})`;
    if (dryRun) {
      log.info(
        `cluster ${cluster.name}: ${secret} would be deleted, and its ${what} recorded as removed, still trusted until ${removed.notAfter}`,
      );
      return;
    }
    await record(env, removed);
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
