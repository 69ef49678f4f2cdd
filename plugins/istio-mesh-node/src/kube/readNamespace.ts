import { CoreV1Api, V1Namespace } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { isNotFound } from '../mesh/errors';

/** A namespace, or undefined when there is none; any other error is thrown. */
export async function readNamespace(
  cluster: MeshCluster,
  name: string,
): Promise<V1Namespace | undefined> {
  try {
    return await cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespace({ name });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
