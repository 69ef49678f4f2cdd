import { readNamespace } from '../kube/readNamespace';
import {
  CoreV1Api,
  KubernetesObject,
  V1Namespace,
  V1Pod,
} from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { applyObject, describeObject, FIELD_MANAGER } from '../kube/apply';
import {
  describeKubeError,
  isConflict,
  isNotFound,
  MeshStepError,
} from '../mesh/errors';
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
import {
  judgeProbeNamespace,
  PROBE_RUN_ANNOTATION,
  ProbeNamespacePlan,
  probeNamespacePlan,
} from './probeNamespace';

const STEP = 'traffic probe';

/** Reads the probe namespace in each member, waiting out one still being deleted. */
export async function readProbeNamespaces(
  clusters: MeshCluster[],
  namespace: string,
  log: StepLog,
): Promise<ProbeNamespacePlan[]> {
  const judged = await Promise.all(
    clusters.map(async cluster => {
      let state = judgeProbeNamespace(await readNamespace(cluster, namespace));
      if (state.state === 'terminating') {
        await waitWhileTerminating(cluster, namespace, log);
        state = judgeProbeNamespace(await readNamespace(cluster, namespace));
      }
      return { cluster, state };
    }),
  );
  return probeNamespacePlan(namespace, judged);
}

/**
 * Creates (never applies) the probe namespace, or takes over one an earlier probe
 * made, marking it with this run; then applies the probe's objects in it, server-side,
 * reporting each object's change.
 */
export async function applyTrafficProbe(
  plan: ProbeNamespacePlan,
  clusterName: string,
  options: TrafficProbeOptions & { run: string; dryRun: boolean; log: StepLog },
): Promise<void> {
  const { cluster } = plan;
  const { log, dryRun } = options;
  const [namespace, ...objects] = trafficProbeManifests(clusterName, options);
  const say = (what: string, result: string) =>
    log.info(
      `cluster ${cluster.name}: ${what} ${
        dryRun ? `would be ${result}` : result
      }`,
    );
  if (plan.action === 'create') {
    if (dryRun) {
      // A namespace created only on paper holds nothing a dry run could be checked in.
      for (const o of [namespace, ...objects])
        say(describeObject(o), 'created');
      return;
    }
    await createNamespace(cluster, namespace);
    say(describeObject(namespace), 'created');
  } else {
    log.info(
      `cluster ${cluster.name}: Namespace ${
        options.namespace
      } was created by probe run ${plan.from}; ${
        dryRun ? 'it would be taken over' : 'taking it over'
      } for this run`,
    );
    say(describeObject(namespace), await apply(cluster, namespace, dryRun));
  }
  for (const o of objects)
    say(describeObject(o), await apply(cluster, o, dryRun));
}

async function apply(
  cluster: MeshCluster,
  manifest: KubernetesObject,
  dryRun: boolean,
) {
  try {
    return await applyObject(cluster.kubeConfig(), manifest, dryRun);
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `cannot apply ${describeObject(manifest)} (${describeKubeError(e)})`,
      `give the istioMesh credentials of this cluster the right to manage namespaces, Services, ServiceAccounts and Deployments, or choose another probe namespace`,
    );
  }
}

async function createNamespace(
  cluster: MeshCluster,
  manifest: KubernetesObject,
) {
  try {
    await cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespace({
        body: manifest as V1Namespace,
        fieldManager: FIELD_MANAGER,
      });
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      isConflict(e)
        ? `Namespace ${
            manifest.metadata!.name
          } was created by someone else while the probe was being planned; nothing was written in it`
        : `cannot create Namespace ${
            manifest.metadata!.name
          } (${describeKubeError(e)})`,
      isConflict(e)
        ? 'name another probe namespace, or re-run once you know whose it is'
        : 'give the istioMesh credentials of this cluster the right to create namespaces, or choose another probe namespace',
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
  log.info(
    `cluster ${cluster.name}: Namespace ${name} is still terminating; waiting for it to go`,
  );
  const gone = await waitFor(
    TERMINATING_SECONDS,
    async () =>
      !(
        await readNamespace(cluster, name)
      )?.metadata?.deletionTimestamp,
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
 * Removes the probe from one member by deleting its namespace, which takes every
 * object in it along, and only when the namespace's mark names this run: a namespace
 * another run took over, or one no probe created, is left alone and said so.
 */
export async function removeTrafficProbe(
  cluster: MeshCluster,
  namespace: string,
  run: string,
  log: StepLog,
): Promise<void> {
  const live = await readNamespace(cluster, namespace);
  if (!live) return;
  const mark = live.metadata?.annotations?.[PROBE_RUN_ANNOTATION];
  if (mark !== run) {
    log.warn(
      `cluster ${cluster.name}: Namespace ${namespace} left alone: ${
        mark ? `probe run ${mark} holds it now` : 'the probe did not create it'
      }`,
    );
    return;
  }
  try {
    await cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .deleteNamespace({
        name: namespace,
        body: { preconditions: { uid: live.metadata!.uid } },
      });
    log.info(`cluster ${cluster.name}: Namespace ${namespace} deleted`);
  } catch (e) {
    if (isNotFound(e)) return;
    throw new MeshStepError(
      cluster.name,
      STEP,
      `cannot delete Namespace ${namespace} (${describeKubeError(e)})`,
      `delete it by hand (kubectl delete namespace ${namespace}: the probe created it, run ${run}), or give the istioMesh credentials the right to delete namespaces`,
    );
  }
}
