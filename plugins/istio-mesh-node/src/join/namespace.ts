import { applyObject, ApplyResult } from '../kube/apply';
import { describeKubeError, kubeWriteFix, MeshStepError } from '../mesh/errors';
import { MeshCluster } from '../clusters/meshCluster';
import { ISTIO_SYSTEM, NETWORK_LABEL } from '../mesh/names';
import { StepLog } from '../progress/stepLog';
import { memberLabelOnInstall, readIstioSystem } from './memberLabel';
import {
  TRUST_PROBE_SERVICE_ACCOUNT,
  trustProbeServiceAccountManifest,
} from '../trust/probeServiceAccount';

/**
 * istio-system with the network label: istiod's fallback network for endpoints whose
 * pod carries none (docs/istio-procedure.md §2). Applied before istiod exists, never
 * with istio-injection. A cluster not yet a member is labelled joining until its
 * remote secrets are exchanged (memberLabel.ts). The trust probe's ServiceAccount goes in with it
 * (docs/istio-procedure.md §10).
 *
 * @public
 */
export async function applyIstioSystemNamespace(options: {
  cluster: MeshCluster;
  network: string;
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { cluster, network, dryRun, log } = options;
  let result: ApplyResult;
  let labels: Record<string, string> = { [NETWORK_LABEL]: network };
  try {
    labels = {
      ...labels,
      ...memberLabelOnInstall(await readIstioSystem(cluster)),
    };
    result = await applyObject(
      cluster.kubeConfig(),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ISTIO_SYSTEM, labels },
      },
      dryRun,
    );
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      'namespace',
      `cannot apply Namespace ${ISTIO_SYSTEM} (${describeKubeError(e)})`,
      kubeWriteFix(
        e,
        'give the istioMesh credentials of this cluster the right to manage namespaces',
      ),
    );
  }
  log.info(
    `cluster ${cluster.name}: Namespace ${ISTIO_SYSTEM} ${Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} ${dryRun ? `would be ${result}` : result}`,
  );
  const account = `ServiceAccount ${ISTIO_SYSTEM}/${TRUST_PROBE_SERVICE_ACCOUNT}`;
  if (dryRun && result === 'created') {
    log.info(`cluster ${cluster.name}: ${account} would be created`);
    return;
  }
  try {
    const probe = await applyObject(
      cluster.kubeConfig(),
      trustProbeServiceAccountManifest(),
      dryRun,
    );
    log.info(
      `cluster ${cluster.name}: ${account} (the trust probe) ${
        dryRun ? `would be ${probe}` : probe
      }`,
    );
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      'namespace',
      `cannot apply ${account} (${describeKubeError(e)})`,
      kubeWriteFix(
        e,
        `give the istioMesh credentials of this cluster the right to manage ServiceAccounts in ${ISTIO_SYSTEM}`,
      ),
    );
  }
}
