import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObject,
  KubernetesObjectApi,
  V1Pod,
} from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { applyObject, describeObject } from '../kube/apply';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import { StepLog } from '../progress/stepLog';
import { waitFor } from '../progress/waitFor';
import {
  PROBE_CLIENT,
  PROBE_SERVICE,
  TRAFFIC_PROBE_LABEL,
  TrafficProbeOptions,
  trafficProbeManifests,
} from './probeManifests';
import { proxyContainerInjected } from './injected';

const STEP = 'traffic probe';

/** Applies the probe in one member, server-side, reporting each object's change. */
export async function applyTrafficProbe(
  cluster: MeshCluster,
  clusterName: string,
  options: TrafficProbeOptions & { dryRun: boolean; log: StepLog },
): Promise<void> {
  const manifests = trafficProbeManifests(clusterName, options);
  await waitWhileTerminating(cluster, options.namespace, options.log);
  for (const manifest of manifests) {
    // A namespace created only on paper holds nothing a dry run could be checked in.
    if (options.dryRun && manifest.kind !== 'Namespace') {
      const exists = await namespaceExists(cluster, options.namespace);
      if (!exists) {
        options.log.info(
          `cluster ${cluster.name}: ${describeObject(
            manifest,
          )} would be created`,
        );
        continue;
      }
    }
    let result: string;
    try {
      result = await applyObject(
        cluster.kubeConfig(),
        manifest,
        options.dryRun,
      );
    } catch (e) {
      throw new MeshStepError(
        cluster.name,
        STEP,
        `cannot apply ${describeObject(manifest)} (${describeKubeError(e)})`,
        `give the istioMesh credentials of this cluster the right to manage namespaces, Services, ServiceAccounts and Deployments, or choose another probe namespace`,
      );
    }
    options.log.info(
      `cluster ${cluster.name}: ${describeObject(manifest)} ${
        options.dryRun ? `would be ${result}` : result
      }`,
    );
  }
}

const TERMINATING_SECONDS = 120;

/**
 * A probe namespace an earlier run removed may still be terminating, and takes no new
 * objects until it is gone: wait for it, so a re-run right after a run converges.
 */
async function waitWhileTerminating(
  cluster: MeshCluster,
  name: string,
  log: StepLog,
) {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const terminating = async () => {
    try {
      return !!(await core.readNamespace({ name })).metadata?.deletionTimestamp;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };
  if (!(await terminating())) return;
  log.info(
    `cluster ${cluster.name}: Namespace ${name} is still terminating from an earlier probe; waiting for it to go`,
  );
  const gone = await waitFor(
    TERMINATING_SECONDS,
    async () => !(await terminating()),
    1000,
  );
  if (!gone) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `Namespace ${name} is still terminating after ${TERMINATING_SECONDS} s`,
      `kubectl get namespace ${name} -o yaml shows what holds it (its finalizers, or objects in it); or choose another probe namespace`,
    );
  }
}

async function namespaceExists(cluster: MeshCluster, name: string) {
  try {
    await cluster.kubeConfig().makeApiClient(CoreV1Api).readNamespace({ name });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** The probe's pods in one member: its helloworld pod and its client. */
export interface ProbePods {
  helloworld: V1Pod;
  client: V1Pod;
}

const runningAndReady = (pod: V1Pod) =>
  pod.status?.phase === 'Running' &&
  !pod.metadata?.deletionTimestamp &&
  !!pod.status.conditions?.some(c => c.type === 'Ready' && c.status === 'True');

/**
 * Waits until the member's probe pods run, and checks istiod's injector gave each a
 * sidecar: without one, the pod is no part of the mesh and the proof would be empty.
 */
export async function waitForProbePods(
  cluster: MeshCluster,
  clusterName: string,
  namespace: string,
  seconds: number,
): Promise<ProbePods> {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  let pods: V1Pod[] = [];
  // This member's own helloworld is the one whose version is its clusterName.
  const ours = (p: V1Pod, app: string) =>
    p.metadata?.labels?.app === app &&
    (app !== PROBE_SERVICE || p.metadata.labels.version === clusterName);
  const running = (app: string) =>
    pods.find(p => ours(p, app) && runningAndReady(p));
  await waitFor(seconds, async () => {
    pods = (
      await core.listNamespacedPod({
        namespace,
        labelSelector: TRAFFIC_PROBE_LABEL,
      })
    ).items;
    return !!running(PROBE_SERVICE) && !!running(PROBE_CLIENT);
  });
  const helloworld = running(PROBE_SERVICE);
  const client = running(PROBE_CLIENT);
  if (!helloworld || !client) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `the probe's ${
        !helloworld ? PROBE_SERVICE : PROBE_CLIENT
      } pod in ${namespace} is not running and ready after ${seconds} s`,
      `kubectl -n ${namespace} describe pods: check the images can be pulled (set the probe's image inputs to a registry the cluster reaches)`,
    );
  }
  for (const pod of [helloworld, client]) {
    if (!proxyContainerInjected(pod)) {
      throw new MeshStepError(
        cluster.name,
        STEP,
        `pod ${namespace}/${
          pod.metadata!.name
        } has no sidecar: istiod's injector did not inject it`,
        `check that the namespace label matches istiod's revision (istio-injection=enabled, or the revision input) and that the MutatingWebhookConfiguration istio-sidecar-injector reaches istiod`,
      );
    }
  }
  return { helloworld, client };
}

/**
 * Removes what the probe applied in one member: its Deployments, Service and
 * ServiceAccount, then the namespace when the probe created it. Only objects carrying
 * the probe's label are touched.
 */
export async function removeTrafficProbe(
  cluster: MeshCluster,
  namespace: string,
  log: StepLog,
): Promise<void> {
  const kc = cluster.kubeConfig();
  const api = KubernetesObjectApi.makeApiClient(kc);
  const ours = async (o: KubernetesObject) => {
    try {
      const live = await api.read({
        apiVersion: o.apiVersion!,
        kind: o.kind!,
        metadata: { name: o.metadata!.name!, namespace: o.metadata!.namespace },
      });
      return live.metadata?.labels?.[TRAFFIC_PROBE_LABEL] === 'true';
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };
  const deployments = await kc
    .makeApiClient(AppsV1Api)
    .listNamespacedDeployment({ namespace, labelSelector: TRAFFIC_PROBE_LABEL })
    .catch(e => {
      if (isNotFound(e)) return { items: [] };
      throw e;
    });
  const objects: KubernetesObject[] = [
    ...deployments.items.map(d => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: d.metadata!.name!, namespace },
    })),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: PROBE_SERVICE, namespace },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: PROBE_CLIENT, namespace },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
  ];
  for (const o of objects) {
    if (!(await ours(o))) continue;
    try {
      await api.delete(o);
      log.info(`cluster ${cluster.name}: ${describeObject(o)} deleted`);
    } catch (e) {
      if (!isNotFound(e)) {
        throw new MeshStepError(
          cluster.name,
          STEP,
          `cannot delete ${describeObject(o)} (${describeKubeError(e)})`,
          `delete what carries the label ${TRAFFIC_PROBE_LABEL} in ${namespace} by hand, or re-run with keepProbe off`,
        );
      }
    }
  }
}
