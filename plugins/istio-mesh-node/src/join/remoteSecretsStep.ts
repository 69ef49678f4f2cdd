import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { exchangeRemoteSecrets } from '../remoteSecrets/exchange';
import { clusterNameOf, JoinRequest } from './joinRequest';
import { underMeshLease } from './meshLease';
import { ensureIstiodsFresh } from './istiodFreshness';
import { MeshMember, readMembers } from './members';
import { MeshStepError } from '../mesh/errors';
import { StepLog } from '../progress/stepLog';
import { labelMemberState } from './memberLabel';

const STEP = 'remote secrets';

/**
 * The exchange step of a join. Membership is read again under the mesh Lease: a member
 * that joined since pre-flight is included, and one joining now waits for us. Once the
 * exchange is done, the cluster is labelled a member (memberLabel.ts). After a
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
  const { request, holder, log } = run;
  findCluster(run.env, request.cluster);
  const exchange = async (env: MeshEnvironment) => {
    const joining = {
      cluster: findCluster(env, request.cluster),
      clusterName: clusterNameOf(request),
    };
    const { members } = await readMembers(env.clusters, { step: STEP, log });
    checkIdentity(members, request);
    const { peers, stillJoining } = exchangePeers(members, request);
    for (const other of stillJoining) {
      log.info(
        `cluster ${other.cluster.name}: joining ${request.meshId} too, its remote secrets not exchanged yet; its own exchange links it with ${request.cluster}`,
      );
    }
    await exchangeRemoteSecrets({
      joining,
      peers,
      dryRun: request.dryRun,
      log,
    });
    await labelMemberState({
      cluster: joining.cluster,
      state: 'member',
      step: STEP,
      dryRun: request.dryRun,
      log,
    });
    if (!request.dryRun) {
      await ensureIstiodsFresh({
        env,
        meshId: request.meshId,
        changed: [joining.clusterName],
        restartIstiodIfStale: !!request.restartIstiodIfStale,
        step: STEP,
        log,
      });
    }
    return peers.map(p => p.cluster.name);
  };
  if (request.dryRun) return exchange(run.env);
  // Checked before the Lease too, so that a wrong request takes nothing, not even it.
  const before = await readMembers(run.env.clusters, { step: STEP, log });
  checkIdentity(before.members, request);
  return underMeshLease({ env: run.env, holder, log }, exchange);
}

/**
 * The members a join exchanges remote secrets with. One that is joining too is left
 * out: its exchange runs under the same Lease, before or after ours, and links it with
 * every member it finds then. Taking it in now would link it with some members and not
 * others until its own exchange runs, and verify would judge a half-linked mesh.
 */
export function exchangePeers(
  members: MeshMember[],
  request: JoinRequest,
): { peers: MeshMember[]; stillJoining: MeshMember[] } {
  const others = members.filter(
    m => m.cluster.name !== request.cluster && m.meshId === request.meshId,
  );
  return {
    peers: others.filter(m => !m.joining),
    stillJoining: others.filter(m => m.joining),
  };
}

/**
 * Checked again under the Lease: what pre-flight checked may have changed before the Lease was ours: another join
 * may have taken the clusterName, or istiod may have been reinstalled. Exchanging
 * remote secrets under a name istiod does not use, or one another member uses, would
 * make one cluster's endpoints shadow another's. A network left empty is not compared.
 */
export function checkIdentity(members: MeshMember[], request: JoinRequest) {
  const clusterName = clusterNameOf(request);
  const taken = members.find(
    m =>
      m.cluster.name !== request.cluster &&
      m.meshId === request.meshId &&
      m.clusterName === clusterName,
  );
  if (taken) {
    throw new MeshStepError(
      request.cluster,
      STEP,
      `cluster name "${clusterName}" is already used in mesh ${request.meshId} by cluster ${taken.cluster.name}`,
      'give this cluster another clusterName, and reinstall its istiod with it',
    );
  }
  const self = members.find(m => m.cluster.name === request.cluster);
  if (!self) {
    if (request.dryRun) return;
    throw new MeshStepError(
      request.cluster,
      STEP,
      'istiod is not installed with a mesh ID here',
      'run the helm step (istio:mesh:helm) first',
    );
  }
  const wanted = {
    clusterName,
    meshID: request.meshId,
    network: request.network,
  };
  const installed = {
    clusterName: self.clusterName,
    meshID: self.meshId,
    network: self.network,
  };
  const differs = (Object.keys(wanted) as (keyof typeof wanted)[]).filter(
    k => wanted[k] && wanted[k] !== installed[k],
  );
  if (differs.length > 0) {
    throw new MeshStepError(
      request.cluster,
      STEP,
      `its istiod is installed with ${differs
        .map(k => `${k} "${installed[k] ?? ''}"`)
        .join(', ')}, but the request names ${differs
        .map(k => `${k} "${wanted[k]}"`)
        .join(', ')}`,
      'run the helm step with the same values first, or join with the values istiod has',
    );
  }
}
