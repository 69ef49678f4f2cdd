import { applyObject } from '../kube/apply';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import { MeshCluster } from '../clusters/meshCluster';
import { ISTIO_SYSTEM, NETWORK_LABEL } from '../mesh/names';
import { StepLog } from '../progress/stepLog';

/**
 * istio-system with the network label: istiod's fallback network for endpoints whose
 * pod carries none (docs/istio-procedure.md §2). Applied before istiod exists, never
 * with istio-injection.
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
  try {
    const result = await applyObject(
      cluster.kubeConfig(),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ISTIO_SYSTEM, labels: { [NETWORK_LABEL]: network } },
      },
      dryRun,
    );
    log.info(
      `cluster ${
        cluster.name
      }: Namespace ${ISTIO_SYSTEM} ${NETWORK_LABEL}=${network} ${
        dryRun ? `would be ${result}` : result
      }`,
    );
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      'namespace',
      `cannot apply Namespace ${ISTIO_SYSTEM} (${describeKubeError(e)})`,
      'give the istioMesh credentials of this cluster the right to manage namespaces',
    );
  }
}
