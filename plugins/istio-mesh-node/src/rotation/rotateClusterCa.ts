import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { applyCacerts } from '../join/cacerts';
import { ensureIstiodsFresh } from '../join/istiodFreshness';
import { underMeshLease } from '../join/meshLease';
import { readIstiodIdentity } from '../mesh/istiodValues';
import { StepLog } from '../progress/stepLog';

const STEP = 'rotate cacerts';

/**
 * Rotate cluster CA: a new intermediate from the same root over the cluster's cacerts
 * (istiod's file watcher swaps it in; workload certificates stay valid, the root being
 * unchanged), then the check that no member's istiod is stale. Under the mesh Lease,
 * like every change to the mesh: a removal or a root rotation running beside it would
 * otherwise judge, or overwrite, a cacerts half way through.
 *
 * @public
 */
export async function rotateClusterCa(run: {
  env: MeshEnvironment;
  cluster: string;
  restartIstiodIfStale: boolean;
  dryRun: boolean;
  /** The Lease holder identity: this attempt of the task or command. */
  holder: string;
  log: StepLog;
}): Promise<void> {
  const { dryRun, log } = run;
  const rotate = async (env: MeshEnvironment) => {
    const cluster = findCluster(env, run.cluster);
    const identity = await readIstiodIdentity(cluster.kubeConfig());
    const result = await applyCacerts(env, cluster, {
      clusterName: identity?.clusterName ?? cluster.name,
      dryRun,
      rotate: true,
      log,
    });
    if (!dryRun && result !== 'unchanged' && identity?.meshId) {
      await ensureIstiodsFresh({
        env,
        meshId: identity.meshId,
        changed: [identity.clusterName ?? cluster.name],
        restartIstiodIfStale: run.restartIstiodIfStale,
        step: STEP,
        log,
      });
    }
  };
  if (dryRun) return rotate(run.env);
  return underMeshLease({ env: run.env, holder: run.holder, log }, rotate);
}
