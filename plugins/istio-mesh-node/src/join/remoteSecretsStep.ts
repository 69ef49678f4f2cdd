import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { exchangeRemoteSecrets } from '../remoteSecrets/exchange';
import { clusterNameOf, JoinRequest } from './joinRequest';
import { underMeshLease } from './meshLease';
import { ensureIstiodsFresh } from './istiodFreshness';
import { readMembers } from './members';
import { StepLog } from '../progress/stepLog';

const STEP = 'remote secrets';

/**
 * The exchange step of a join. Membership is read again under the mesh Lease: a member
 * that joined since pre-flight is included, and one joining now waits for us. After a
 * real exchange, every member's istiod is checked for stale state (ensureIstiodsFresh).
 *
 * @public
 */
export async function joinRemoteSecrets(run: {
  env: MeshEnvironment;
  request: JoinRequest;
  /** The Lease holder identity: the task or command doing the join. */
  holder: string;
  log: StepLog;
}): Promise<string[]> {
  const { env, request, holder, log } = run;
  const joining = {
    cluster: findCluster(env, request.cluster),
    clusterName: clusterNameOf(request),
  };
  const exchange = async () => {
    const { members } = await readMembers(env.clusters, { step: STEP, log });
    const peers = members.filter(
      m => m.cluster.name !== request.cluster && m.meshId === request.meshId,
    );
    await exchangeRemoteSecrets({
      joining,
      peers,
      dryRun: request.dryRun,
      log,
    });
    if (!request.dryRun) {
      await ensureIstiodsFresh({
        env,
        meshId: request.meshId,
        restartIstiodIfStale: !!request.restartIstiodIfStale,
        step: STEP,
        log,
      });
    }
    return peers.map(p => p.cluster.name);
  };
  if (request.dryRun) return exchange();
  return underMeshLease({ env, holder, log }, exchange);
}
