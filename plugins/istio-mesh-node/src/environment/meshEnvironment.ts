import { Config } from '@backstage/config';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { RootCaSigner } from '../ca/signer';
import {
  rootCaSignerFromConfig,
  RootCaConfig,
  RootCustody,
} from '../ca/custody';
import { MeshCluster } from '../clusters/meshCluster';
import { guardCluster } from '../clusters/requestGuard';
import {
  kubeRequestSecondsFromConfig,
  meshClustersFromConfig,
} from '../clusters/meshClustersFromConfig';
import { ChartSource } from '../helm/chartSource';
import { HelmRunner } from '../helm/helmRunner';
import { istioVersionProblem } from '../mesh/istioVersion';

/**
 * Everything a mesh operation reaches outside the process, resolved from app-config.
 *
 * @public
 */
export interface MeshEnvironment {
  clusters: MeshCluster[];
  rootCa: RootCaSigner;
  /** Where a root rotation keeps the new root (istioMesh.nextRootCa), when one is set. */
  nextRoot?: RootCustody;
  helm: HelmRunner;
  charts: ChartSource;
  /** The Istio chart version joins install unless they name one. */
  istioVersion?: string;
  /** Where joins take their mesh-wide Lease: the management cluster. */
  lease: { cluster: string; namespace: string };
  /**
   * The namespaces, besides istio-system, that hold the mesh's own objects: the
   * Lease's (with the removal records) and the root CA Secrets'. Nothing else may
   * create or delete them, the traffic probe included.
   */
  meshNamespaces: string[];
  timeouts: {
    helmSeconds: number;
    gatewayAddressSeconds: number;
    leaseWaitSeconds: number;
    /** How long the mesh Lease lasts unrenewed; see withMeshLease. */
    leaseSeconds: number;
    /** The bound on one Kubernetes API request. */
    kubeRequestSeconds: number;
  };
}

/** How long the mesh Lease lasts unrenewed, unless istioMesh.timeouts.leaseSeconds says. */
export const DEFAULT_LEASE_SECONDS = 60;

/** @public */
export function findCluster(
  env: Pick<MeshEnvironment, 'clusters'>,
  name: string,
): MeshCluster {
  const cluster = env.clusters.find(c => c.name === name);
  if (!cluster) {
    throw new Error(
      `cluster ${name} is not configured for the mesh: add it to istioMesh.clusters in app-config (known: ${
        env.clusters.map(c => c.name).join(', ') || 'none'
      })`,
    );
  }
  return cluster;
}

function nextRootFromConfig(
  value: unknown,
  byName: Parameters<typeof rootCaSignerFromConfig>[1],
): RootCustody | undefined {
  if (!value) return undefined;
  const config = value as RootCaConfig;
  return { config, signer: rootCaSignerFromConfig(config, byName) };
}

/**
 * Reads app-config `istioMesh`: clusters, rootCa, charts, helm, lease and timeouts.
 * The README's "Configuration" section documents every key.
 *
 * @public
 */
export function meshEnvironmentFromConfig(
  config: Config,
  strategies: Record<string, AuthenticationStrategy> = {},
): MeshEnvironment {
  const clusters = meshClustersFromConfig(config, strategies);
  const byName = (name: string) => {
    const c = clusters.find(x => x.name === name);
    if (!c) {
      throw new Error(
        `istioMesh names cluster "${name}" for the root CA or the join lease, but istioMesh.clusters has no such cluster`,
      );
    }
    return c.kubeConfig();
  };
  const mesh = config.getConfig('istioMesh');
  const helmSeconds = mesh.getOptionalNumber('timeouts.helmSeconds') ?? 300;
  const lease = meshLeaseFromConfig(config, clusters);
  return {
    clusters,
    rootCa: rootCaSignerFromConfig(mesh.get('rootCa') as RootCaConfig, byName),
    nextRoot: nextRootFromConfig(mesh.getOptional('nextRootCa'), byName),
    helm: new HelmRunner(mesh.getOptionalString('helm.binary') ?? 'helm', {
      timeoutSeconds: helmSeconds,
    }),
    charts: mesh.get('charts') as ChartSource,
    istioVersion: mesh.getOptionalString('charts.version'),
    lease,
    meshNamespaces: [
      lease.namespace,
      ...['rootCa', 'nextRootCa'].flatMap(key => {
        const namespace = mesh.getOptionalString(`${key}.namespace`);
        return namespace ? [namespace] : [];
      }),
    ],
    timeouts: {
      helmSeconds,
      gatewayAddressSeconds:
        mesh.getOptionalNumber('timeouts.gatewayAddressSeconds') ?? 300,
      leaseWaitSeconds:
        mesh.getOptionalNumber('timeouts.leaseWaitSeconds') ?? 600,
      leaseSeconds:
        mesh.getOptionalNumber('timeouts.leaseSeconds') ??
        DEFAULT_LEASE_SECONDS,
      kubeRequestSeconds: kubeRequestSecondsFromConfig(config),
    },
  };
}

/**
 * The same environment, stopped by `signal`: every Kubernetes request made through it
 * is aborted and every helm it runs is killed once the signal fires (the task was
 * cancelled, or the mesh Lease was lost).
 *
 * @public
 */
export function stoppedBy(
  env: MeshEnvironment,
  signal: AbortSignal | undefined,
): MeshEnvironment {
  if (!signal) return env;
  return {
    ...env,
    helm: env.helm.withSignal(signal),
    clusters: env.clusters.map(c =>
      guardCluster(c, {
        timeoutMs: env.timeouts.kubeRequestSeconds * 1000,
        signal,
      }),
    ),
  };
}

/**
 * Where joins take their mesh-wide Lease and removals record the intermediates they
 * take out: istioMesh.lease, by default the first configured cluster's istio-mesh
 * namespace.
 */
export function meshLeaseFromConfig(
  config: Config,
  clusters: MeshCluster[],
): { cluster: string; namespace: string } {
  const lease = config.getOptionalConfig('istioMesh.lease');
  return {
    cluster: lease?.getOptionalString('cluster') ?? clusters[0]?.name,
    namespace: lease?.getOptionalString('namespace') ?? 'istio-mesh',
  };
}

/**
 * The version a join installs: the one asked for, else istioMesh.charts.version.
 *
 * @public
 */
export function istioVersionFor(
  env: MeshEnvironment,
  requested: string | undefined,
): string {
  const version = requested || env.istioVersion;
  if (!version) {
    throw new Error(
      'no Istio version given and istioMesh.charts.version is not set: name one',
    );
  }
  const problem = istioVersionProblem(version);
  if (problem) {
    throw new Error(
      `${problem}${requested ? '' : ' (istioMesh.charts.version)'}`,
    );
  }
  return version;
}

/**
 * Fetches every cloud-signed cluster's short-lived token before an operation.
 *
 * @public
 */
export async function refreshCredentials(
  env: Pick<MeshEnvironment, 'clusters'>,
): Promise<void> {
  await Promise.all(env.clusters.map(c => c.refreshCredentials()));
}
