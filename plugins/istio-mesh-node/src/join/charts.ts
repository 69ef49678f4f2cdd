import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { chartArgs } from '../helm/chartSource';
import { HelmError, HelmRelease } from '../helm/helmRunner';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { recoverPendingRelease, withHelmLease } from './helmLease';
import { MeshStepError } from '../mesh/errors';
import {
  ChartName,
  EASTWEST_GATEWAY,
  ISTIO_SYSTEM,
  RELEASES,
} from '../mesh/names';
import { chartValues, MeshIdentity } from './chartValues';
import { describeExposure, gatewayServiceSettings } from './gatewayService';
import { StepLog } from '../progress/stepLog';
import { waitFor } from '../progress/waitFor';

const STEP = 'helm';

/** Order matters: CRDs and the reader account, then istiod, then the gateway it injects. */
const ORDER: ChartName[] = ['base', 'istiod', 'gateway'];

function renderedKinds(manifest: string): string[] {
  const kinds = new Map<string, number>();
  for (const m of manifest.matchAll(/^kind: (\S+)$/gm)) {
    kinds.set(m[1], (kinds.get(m[1]) ?? 0) + 1);
  }
  return [...kinds].map(([k, n]) => `${n} ${k}`);
}

/** JSON with sorted keys, so equal values compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * A deployed release of this chart version with exactly these values needs no upgrade:
 * skipping it keeps a re-run from adding helm revisions that change nothing.
 */
async function isInstalled(
  env: MeshEnvironment,
  kc: KubeConfig,
  current: HelmRelease | undefined,
  wanted: {
    chart: ChartName;
    version: string;
    values: Record<string, unknown>;
  },
): Promise<boolean> {
  const { chart, version, values } = wanted;
  if (
    current?.status !== 'deployed' ||
    current.chart !== `${chart}-${version}`
  ) {
    return false;
  }
  const deployed = await env.helm.releaseValues(kc, current.name, ISTIO_SYSTEM);
  return canonical(deployed) === canonical(values);
}

/**
 * helm upgrade --install of base, istiod and the east-west gateway, in order and with
 * --wait, so a re-run converges. With dryRun each chart is rendered with helm template
 * and nothing is installed. Returns the east-west gateway's address.
 *
 * The installs hold the cluster's helm Lease, so two tasks never run helm on one
 * cluster at once; a release found pending-* under it was left by a helm that was
 * killed, and is recovered first (recoverPendingRelease).
 *
 * @public
 */
export async function installCharts(options: {
  env: MeshEnvironment;
  cluster: MeshCluster;
  identity: MeshIdentity;
  istioVersion: string;
  dryRun: boolean;
  /** The Lease holder identity: the task or command doing the install. */
  holder: string;
  /**
   * Work istiod needs done before it starts, such as its cacerts: istio-base installs
   * meanwhile, as it does not need it.
   */
  istiodNeeds?: Promise<unknown>;
  log: StepLog;
}): Promise<string | undefined> {
  if (options.dryRun) return installAll(options);
  return withHelmLease(options, env => installAll({ ...options, env }));
}

async function installAll(options: {
  env: MeshEnvironment;
  cluster: MeshCluster;
  identity: MeshIdentity;
  istioVersion: string;
  dryRun: boolean;
  istiodNeeds?: Promise<unknown>;
  log: StepLog;
}): Promise<string | undefined> {
  const { env, identity, istioVersion, dryRun, log } = options;
  const cluster = findCluster(env, options.cluster.name);
  const kc = cluster.kubeConfig();
  // One helm list for all three charts; each read costs a helm process.
  const releases = dryRun ? [] : await env.helm.releases(kc, ISTIO_SYSTEM);
  const gatewayService = await gatewayServiceSettings(cluster, kc, STEP);
  for (const chart of ORDER) {
    const release = RELEASES[chart];
    if (chart === 'istiod') await options.istiodNeeds;
    if (chart === 'gateway') {
      log.info(
        `cluster ${cluster.name}: east-west gateway Service: ${describeExposure(
          gatewayService.exposure,
          gatewayService.awsLoadBalancerController,
        )}`,
      );
    }
    let values;
    try {
      values = chartValues(
        chart,
        identity,
        cluster.chartValues[chart],
        gatewayService,
      );
    } catch (e) {
      throw new MeshStepError(
        cluster.name,
        STEP,
        `${release}: ${(e as Error).message}`,
        'correct istioMesh.clusters[].chartValues',
      );
    }
    const install = {
      release,
      namespace: ISTIO_SYSTEM,
      chart: chartArgs(env.charts, chart, istioVersion),
      values,
      timeoutSeconds: env.timeouts.helmSeconds,
    };
    try {
      if (dryRun) {
        const manifest = await env.helm.template(kc, install);
        log.info(
          `cluster ${
            cluster.name
          }: helm would install ${release} ${istioVersion}: ${renderedKinds(
            manifest,
          ).join(', ')}`,
        );
        continue;
      }
      let current = releases.find(r => r.name === release);
      // A recovered release is upgraded, whatever it holds now: it is rare, and one
      // more revision is cheaper than reading it again.
      if (
        current &&
        (await recoverPendingRelease(env, kc, {
          cluster: cluster.name,
          current,
          log,
        }))
      ) {
        current = undefined;
      }
      if (
        await isInstalled(env, kc, current, {
          chart,
          version: istioVersion,
          values,
        })
      ) {
        log.info(
          `cluster ${cluster.name}: ${release} ${istioVersion} is deployed with these values; unchanged`,
        );
        continue;
      }
      log.info(
        `cluster ${cluster.name}: helm upgrade --install ${release} ${istioVersion} (waiting up to ${env.timeouts.helmSeconds}s)`,
      );
      const started = Date.now();
      await env.helm.upgradeInstall(kc, install);
      log.info(
        `cluster ${cluster.name}: ${release} deployed; helm took ${
          Date.now() - started
        } ms`,
      );
    } catch (e) {
      const reason = e instanceof HelmError ? e.message : String(e);
      throw new MeshStepError(
        cluster.name,
        STEP,
        `${release}: ${reason}`,
        `see helm status ${release} -n ${ISTIO_SYSTEM}; fix the cause and re-run: helm upgrade --install converges`,
      );
    }
  }
  return dryRun ? undefined : gatewayAddress(env, cluster, log);
}

/**
 * The east-west gateway's LoadBalancer address, IP or hostname (EKS gives hostnames;
 * istiod resolves them). Without one, remote endpoints fall back to pod IPs
 * (docs/istio-procedure.md §8.4).
 */
export async function gatewayAddress(
  env: MeshEnvironment,
  cluster: MeshCluster,
  log: StepLog,
): Promise<string> {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  let address: string | undefined;
  const found = await waitFor(env.timeouts.gatewayAddressSeconds, async () => {
    const svc = await core.readNamespacedService({
      name: EASTWEST_GATEWAY,
      namespace: ISTIO_SYSTEM,
    });
    const ingress = svc.status?.loadBalancer?.ingress?.[0];
    address = ingress?.ip ?? ingress?.hostname;
    return !!address;
  });
  if (!found || !address) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `Service ${ISTIO_SYSTEM}/${EASTWEST_GATEWAY} has no LoadBalancer address after ${env.timeouts.gatewayAddressSeconds}s`,
      'make sure the cluster can provision LoadBalancer Services (cloud controller, MetalLB), or set istioMesh.timeouts.gatewayAddressSeconds higher',
    );
  }
  log.info(`cluster ${cluster.name}: east-west gateway address ${address}`);
  return address;
}
