import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { installMember } from './installMember';
import { clusterNameOf, JoinRequest } from './joinRequest';
import { planJoin } from './preflight';
import { joinRemoteSecrets } from './remoteSecretsStep';
import { StepLog } from '../progress/stepLog';

/**
 * Every step of "Add cluster to mesh" in order, for callers outside the scaffolder: the
 * CLI, tests and benchmarks that need a joined mesh. The template runs the same steps
 * as separate actions; here the cacerts and the charts overlap (installMember).
 *
 * @public
 */
export async function joinCluster(run: {
  env: MeshEnvironment;
  request: JoinRequest;
  /** The Lease holder identity: the task or command doing the join. */
  holder: string;
  log: StepLog;
}): Promise<void> {
  const { env, request, log } = run;
  const { dryRun } = request;
  await planJoin(env, request, log);
  await installMember({
    env,
    cluster: findCluster(env, request.cluster),
    identity: {
      meshId: request.meshId,
      clusterName: clusterNameOf(request),
      network: request.network,
    },
    istioVersion: request.istioVersion,
    dryRun,
    holder: run.holder,
    log,
  });
  await joinRemoteSecrets(run);
}
