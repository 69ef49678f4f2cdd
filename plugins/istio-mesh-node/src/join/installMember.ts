import { MeshCluster } from '../clusters/meshCluster';
import { MeshEnvironment } from '../environment/meshEnvironment';
import { StepLog } from '../progress/stepLog';
import { applyCacerts } from './cacerts';
import { installCharts } from './charts';
import { MeshIdentity } from './chartValues';
import { applyCrossNetworkGateway } from './crossNetworkGateway';
import { applyIstioSystemNamespace } from './namespace';

/**
 * Everything a join writes into the joining cluster itself: istio-system with its
 * network label, cacerts, the three charts and the cross-network Gateway. Only istiod
 * reads cacerts, so istio-base installs while the intermediate's key is generated.
 * Returns the east-west gateway's address (none in a dry run).
 *
 * @public
 */
export async function installMember(run: {
  env: MeshEnvironment;
  cluster: MeshCluster;
  identity: MeshIdentity;
  istioVersion: string;
  dryRun: boolean;
  /** The Lease holder identity: the task or command doing the install. */
  holder: string;
  log: StepLog;
}): Promise<string | undefined> {
  const { env, cluster, identity, dryRun, log } = run;
  await applyIstioSystemNamespace({
    cluster,
    network: identity.network,
    dryRun,
    log,
  });
  const cacerts = applyCacerts(env, cluster, {
    clusterName: identity.clusterName,
    dryRun,
    rotate: false,
    log,
  });
  const charts = installCharts({ ...run, istiodNeeds: cacerts });
  // Both settle before this returns, so neither keeps writing after a failure is reported.
  const [signed, installed] = await Promise.allSettled([cacerts, charts]);
  if (signed.status === 'rejected') throw signed.reason;
  if (installed.status === 'rejected') throw installed.reason;
  await applyCrossNetworkGateway(cluster, dryRun, log);
  return installed.value;
}
