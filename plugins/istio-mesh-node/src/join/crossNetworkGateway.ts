import { MeshCluster } from '../clusters/meshCluster';
import { applyObject } from '../kube/apply';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import {
  CROSS_NETWORK_GATEWAY,
  CROSS_NETWORK_PORT,
  ISTIO_SYSTEM,
} from '../mesh/names';
import { StepLog } from '../progress/stepLog';

/**
 * samples/multicluster/expose-services.yaml: the Gateway that lets other networks reach
 * this cluster's services through the east-west gateway, applied in istio-system where
 * its selector finds the gateway pods.
 */
export function crossNetworkGatewayManifest() {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: CROSS_NETWORK_GATEWAY, namespace: ISTIO_SYSTEM },
    spec: {
      selector: { istio: 'eastwestgateway' },
      servers: [
        {
          port: { number: CROSS_NETWORK_PORT, name: 'tls', protocol: 'TLS' },
          tls: { mode: 'AUTO_PASSTHROUGH' },
          hosts: ['*.local'],
        },
      ],
    },
  };
}

/** @public */
export async function applyCrossNetworkGateway(
  cluster: MeshCluster,
  dryRun: boolean,
  log: StepLog,
): Promise<void> {
  try {
    const result = await applyObject(
      cluster.kubeConfig(),
      crossNetworkGatewayManifest(),
      dryRun,
    );
    log.info(
      `cluster ${
        cluster.name
      }: Gateway ${ISTIO_SYSTEM}/${CROSS_NETWORK_GATEWAY} ${
        dryRun ? `would be ${result}` : result
      }`,
    );
  } catch (e) {
    const missingCrd =
      (e as { code?: number }).code === 404 ||
      /Unrecognized API version and kind/.test(String(e));
    if (dryRun && missingCrd) {
      log.info(
        `cluster ${cluster.name}: Gateway ${ISTIO_SYSTEM}/${CROSS_NETWORK_GATEWAY} would be created once istio-base installs its CRD`,
      );
      return;
    }
    throw new MeshStepError(
      cluster.name,
      'cross-network gateway',
      `cannot apply Gateway ${ISTIO_SYSTEM}/${CROSS_NETWORK_GATEWAY} (${describeKubeError(
        e,
      )})`,
      missingCrd
        ? 'the networking.istio.io/v1 Gateway CRD is missing: run the helm step (istio-base) first'
        : 'check the istioMesh credentials of this cluster',
    );
  }
}
