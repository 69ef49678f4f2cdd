import {
  AppsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { FIELD_MANAGER } from '../kube/apply';
import { ISTIO_SYSTEM } from '../mesh/names';
import { waitFor } from '../progress/waitFor';

/** The annotation `kubectl rollout restart` sets on the pod template. */
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * Restarts istiod as `kubectl rollout restart deployment/istiod -n istio-system` does,
 * then waits until the rollout has replaced every pod. Returns false when the rollout
 * did not finish in time.
 */
export async function restartIstiod(
  cluster: MeshCluster,
  timeoutSeconds: number,
): Promise<boolean> {
  const kc = cluster.kubeConfig();
  await KubernetesObjectApi.makeApiClient(kc).patch(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: ISTIO_SYSTEM },
      spec: {
        template: {
          metadata: {
            annotations: { [RESTARTED_AT]: new Date().toISOString() },
          },
        },
      },
    } as never,
    undefined,
    undefined,
    FIELD_MANAGER,
    undefined,
    PatchStrategy.MergePatch,
  );
  const apps = kc.makeApiClient(AppsV1Api);
  return waitFor(timeoutSeconds, async () => {
    const d = await apps.readNamespacedDeployment({
      name: 'istiod',
      namespace: ISTIO_SYSTEM,
    });
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    return (
      (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      s.updatedReplicas === want &&
      s.availableReplicas === want &&
      s.replicas === want
    );
  });
}
