import { MeshCluster } from '../clusters/meshCluster';
import { CoreV1Api } from '@kubernetes/client-node';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import { ISTIO_SYSTEM, MEMBER_LABEL } from '../mesh/names';
import { IstiodIdentity, readIstiodIdentity } from '../mesh/istiodValues';

/**
 * A cluster whose istiod was installed with a mesh ID, and that has not left.
 *
 * @public
 */
export interface MeshMember {
  cluster: MeshCluster;
  clusterName: string;
  meshId: string;
  network?: string;
  version?: string;
}

async function hasLeft(cluster: MeshCluster): Promise<boolean> {
  try {
    const ns = await cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: ISTIO_SYSTEM });
    return ns.metadata?.labels?.[MEMBER_LABEL] === 'false';
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/**
 * Reads every configured cluster's istiod identity, in parallel. A cluster that cannot
 * be read fails the call, naming it: a member nobody can see would miss remote secrets.
 */
export async function readMembers(
  clusters: MeshCluster[],
  step: string,
): Promise<MeshMember[]> {
  const identities = await Promise.all(
    clusters.map(async cluster => {
      let identity: IstiodIdentity | undefined;
      try {
        identity = (await hasLeft(cluster))
          ? undefined
          : await readIstiodIdentity(cluster.kubeConfig());
      } catch (e) {
        throw new MeshStepError(
          cluster.name,
          step,
          `cannot read istio-system/values at ${
            cluster.server
          } to tell whether it is a mesh member (${describeKubeError(e)})`,
          'bring the API server back or fix its istioMesh.clusters credentials, then re-run',
        );
      }
      return { cluster, identity };
    }),
  );
  return identities.flatMap(({ cluster, identity }) =>
    identity?.meshId
      ? [
          {
            cluster,
            clusterName: identity.clusterName ?? 'Kubernetes',
            meshId: identity.meshId,
            network: identity.network,
            version: identity.version,
          },
        ]
      : [],
  );
}
