import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { MeshStepError } from '../mesh/errors';
import { settledInParallel } from '../progress/settledInParallel';
import { StepLog } from '../progress/stepLog';
import { exchangeAmong } from '../remoteSecrets/exchange';
import { installMember } from './installMember';
import { labelMemberState } from './memberLabel';
import { ensureIstiodsFresh } from './istiodFreshness';
import { defaultNetworkOf, JoinRequest } from './joinRequest';
import { underMeshLease } from './meshLease';
import { readMembers } from './members';
import { planJoin, readPreflightMembers } from './preflight';
import { checkIdentity } from './remoteSecretsStep';

/**
 * How many clusters install at once unless the run says otherwise.
 *
 * @public
 */
export const DEFAULT_INSTALL_CONCURRENCY = 4;

const EXCHANGE = 'remote secrets';

/**
 * Several clusters joined to one mesh in one run, new or existing.
 *
 * @public
 */
export interface CreateMeshRequest {
  meshId: string;
  /**
   * The clusters, as named in config; each joins under its own name as clusterName,
   * on network `network-<cluster>`.
   */
  clusters: string[];
  /** The Istio chart version to install. */
  istioVersion: string;
  /** At most this many clusters install at once. */
  concurrency: number;
  dryRun: boolean;
  /** As for a join: restart an istiod found stale after the exchange. */
  restartIstiodIfStale?: boolean;
}

/**
 * What a Create mesh run did.
 *
 * @public
 */
export interface CreateMeshResult {
  /** Every member of the mesh after the exchange, linked to every other. */
  members: string[];
  /** The clusters whose install failed: not linked, each with its error and fix. */
  failed: { cluster: string; error: string }[];
}

function joinRequestOf(
  request: CreateMeshRequest,
  cluster: string,
): JoinRequest {
  return {
    cluster,
    meshId: request.meshId,
    network: defaultNetworkOf(cluster),
    istioVersion: request.istioVersion,
    dryRun: request.dryRun,
    restartIstiodIfStale: request.restartIstiodIfStale,
  };
}

/**
 * Joins many clusters to one mesh at once: pre-flight for every one of them before
 * anything is written; then each cluster's own install (installMember), a bounded
 * number at a time, each running to its end whatever the others do; then, under the
 * mesh Lease, one exchange of remote secrets among every member of the mesh that did
 * not fail, old members included. A re-run redoes only what is missing: each part
 * leaves what is already right unchanged.
 *
 * @public
 */
export async function createMesh(run: {
  env: MeshEnvironment;
  request: CreateMeshRequest;
  /** The Lease holder identity: the task or command doing the run. */
  holder: string;
  log: StepLog;
}): Promise<CreateMeshResult> {
  const { env, request, holder, log } = run;
  const joins = request.clusters.map(c => joinRequestOf(request, c));

  // One read of the members for every cluster's pre-flight, not one per cluster. A plan
  // that refuses before it awaits the read leaves it to the others, so it must not be
  // reported as unhandled.
  const currentMembers = readPreflightMembers(env, log);
  currentMembers.catch(() => undefined);
  const plans = await Promise.allSettled(
    joins.map(j =>
      planJoin(env, j, log, {
        alsoJoining: request.clusters,
        members: currentMembers,
      }),
    ),
  );
  const refusals = plans.flatMap(p =>
    p.status === 'rejected' ? [(p.reason as Error).message] : [],
  );
  if (refusals.length > 0) {
    // A failed read of the members refuses every plan with the same words: say it once.
    throw new Error(
      `nothing was changed: pre-flight refused ${refusals.length} of ${
        joins.length
      } clusters: ${[...new Set(refusals)].join('; ')}`,
    );
  }

  log.info(
    `installing on ${joins.length} clusters, at most ${request.concurrency} at once`,
  );
  const installs = await settledInParallel(joins, request.concurrency, j =>
    installMember({
      env,
      cluster: findCluster(env, j.cluster),
      identity: {
        meshId: j.meshId,
        clusterName: j.cluster,
        network: j.network,
      },
      istioVersion: j.istioVersion,
      dryRun: j.dryRun,
      holder,
      log,
    }),
  );
  const failed = joins.flatMap((j, i) => {
    const result = installs[i];
    if (result.status === 'fulfilled') return [];
    const error = (result.reason as Error).message ?? String(result.reason);
    log.warn(`cluster ${j.cluster} failed; the others go on: ${error}`);
    return [{ cluster: j.cluster, error }];
  });
  const installed = joins.filter(
    j => !failed.some(f => f.cluster === j.cluster),
  );
  if (installed.length === 0) return { members: [], failed };

  const exchange = async (leased: MeshEnvironment) => {
    const { members } = await readMembers(leased.clusters, {
      step: EXCHANGE,
      log,
    });
    installed.forEach(j => checkIdentity(members, j));
    const ours = (name: string) => installed.some(j => j.cluster === name);
    // A cluster another join is installing links itself when its exchange runs.
    const linked = members
      .filter(m => m.meshId === request.meshId)
      .filter(m => !failed.some(f => f.cluster === m.cluster.name))
      .filter(m => !m.joining || ours(m.cluster.name))
      .map(m => ({ cluster: m.cluster, clusterName: m.clusterName }));
    // In a dry run nothing was installed: the clusters named are members to be.
    for (const j of installed) {
      if (!linked.some(m => m.cluster.name === j.cluster)) {
        linked.push({
          cluster: findCluster(leased, j.cluster),
          clusterName: j.cluster,
        });
      }
    }
    log.info(
      `exchanging remote secrets among ${linked.length} members: ${
        linked.length * (linked.length - 1)
      } remote secrets`,
    );
    await exchangeAmong({ members: linked, dryRun: request.dryRun, log });
    await Promise.all(
      linked.map(m =>
        labelMemberState({
          cluster: m.cluster,
          state: 'member',
          step: EXCHANGE,
          dryRun: request.dryRun,
          log,
        }),
      ),
    );
    if (!request.dryRun) {
      await ensureIstiodsFresh({
        env: leased,
        meshId: request.meshId,
        changed: linked.map(m => m.clusterName),
        restartIstiodIfStale: !!request.restartIstiodIfStale,
        step: EXCHANGE,
        log,
      });
    }
    return linked.map(m => m.cluster.name);
  };
  const members = request.dryRun
    ? await exchange(env)
    : await underMeshLease({ env, holder, log }, exchange);
  return { members, failed };
}

/**
 * The error a Create mesh run ends with when clusters failed, once the others are
 * linked: each failed cluster with its error, and that a re-run finishes the mesh.
 *
 * @public
 */
export function failedClustersError(
  meshId: string,
  failed: CreateMeshResult['failed'],
): MeshStepError {
  return new MeshStepError(
    failed.map(f => f.cluster).join(', '),
    'install',
    `${failed.length} cluster${
      failed.length > 1 ? 's' : ''
    } did not join mesh ${meshId}: ${failed.map(f => f.error).join('; ')}`,
    'fix each cause named, then run Create mesh again with the same clusters: it completes only what is missing',
  );
}
