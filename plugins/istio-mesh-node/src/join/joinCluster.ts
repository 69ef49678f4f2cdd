import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { applyCacerts } from './cacerts';
import { installCharts } from './charts';
import { applyCrossNetworkGateway } from './crossNetworkGateway';
import { clusterNameOf, JoinRequest } from './joinRequest';
import { applyIstioSystemNamespace } from './namespace';
import { planJoin } from './preflight';
import { joinRemoteSecrets } from './remoteSecretsStep';
import { StepLog } from '../progress/stepLog';

/**
 * Every step of "Add cluster to mesh" in order, for callers outside the scaffolder: the
 * CLI, tests and benchmarks that need a joined mesh. The template runs the same steps
 * as separate actions.
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
  const cluster = findCluster(env, request.cluster);
  const clusterName = clusterNameOf(request);
  await applyIstioSystemNamespace({
    cluster,
    network: request.network,
    dryRun,
    log,
  });
  await applyCacerts(env, cluster, {
    clusterName,
    dryRun: request.dryRun,
    rotate: false,
    log,
  });
  await installCharts({
    env,
    cluster,
    identity: { meshId: request.meshId, clusterName, network: request.network },
    istioVersion: request.istioVersion,
    dryRun,
    holder: run.holder,
    log,
  });
  await applyCrossNetworkGateway(cluster, dryRun, log);
  await joinRemoteSecrets(run);
}
