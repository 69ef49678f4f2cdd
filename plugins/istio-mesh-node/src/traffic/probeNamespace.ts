import { V1Namespace } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { MeshStepError } from '../mesh/errors';
import { ISTIO_SYSTEM } from '../mesh/names';

const STEP = 'traffic probe';

/**
 * Set only when the probe creates its namespace, never on one that existed: the run
 * that created it, or the later run that took it over. Cleanup deletes a namespace only
 * when this names its own run; labels alone prove nothing, since anyone (and earlier
 * versions of the probe) can put them on any namespace.
 */
export const PROBE_RUN_ANNOTATION = 'istio-mesh.backstage.io/traffic-probe-run';

/**
 * Namespaces Kubernetes itself keeps, and `default`: a probe there would label and
 * then delete what every cluster runs on.
 */
const KUBERNETES_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * Why a namespace cannot be the probe's, or undefined. `meshNamespaces` are the ones
 * the mesh's own components live in (istio-system, the Lease's, the root CA's): known
 * from config, so a dry run refuses them before reading any cluster.
 */
export function probeNamespaceProblem(
  namespace: string,
  meshNamespaces: string[],
): string | undefined {
  if (KUBERNETES_NAMESPACES.includes(namespace)) {
    return `input namespace: ${namespace} is a namespace Kubernetes keeps; the probe creates and deletes its own namespace, so name one that does not exist (mesh-probe by default)`;
  }
  if ([ISTIO_SYSTEM, ...meshNamespaces].includes(namespace)) {
    return `input namespace: ${namespace} holds the mesh's own components; the probe creates and deletes its own namespace, so name one that does not exist (mesh-probe by default)`;
  }
  return undefined;
}

/** What the probe may do with a namespace of that name, as it is now in one cluster. */
export type ProbeNamespaceState =
  | { state: 'absent' }
  /** Created by an earlier probe run (kept, or left by a crash): taken over. */
  | { state: 'probe'; run: string }
  /** Being deleted, by an earlier probe or by hand: waited for, then judged again. */
  | { state: 'terminating' }
  | { state: 'foreign' };

export function judgeProbeNamespace(
  live: V1Namespace | undefined,
): ProbeNamespaceState {
  if (!live) return { state: 'absent' };
  if (live.metadata?.deletionTimestamp) return { state: 'terminating' };
  const run = live.metadata?.annotations?.[PROBE_RUN_ANNOTATION];
  return run ? { state: 'probe', run } : { state: 'foreign' };
}

/** What the probe does with its namespace in one member. */
export interface ProbeNamespacePlan {
  cluster: MeshCluster;
  /** create: none exists; take over: an earlier probe run made it and left it. */
  action: 'create' | 'take over';
  /** The earlier run, when taking over. */
  from?: string;
}

/**
 * Plans the probe namespace in every member from what each holds now, and refuses
 * before anything is written when any member has a namespace of that name that no
 * probe created: the probe labels its namespace for injection and deletes it at the
 * end, which would restart or delete someone else's workloads.
 */
export function probeNamespacePlan(
  namespace: string,
  judged: { cluster: MeshCluster; state: ProbeNamespaceState }[],
): ProbeNamespacePlan[] {
  const foreign = judged.filter(
    j => j.state.state !== 'absent' && j.state.state !== 'probe',
  );
  if (foreign.length > 0) {
    throw new MeshStepError(
      foreign[0].cluster.name,
      STEP,
      `Namespace ${namespace} already exists in ${foreign
        .map(f => f.cluster.name)
        .join(
          ', ',
        )} and was not created by the traffic probe; nothing was changed`,
      `name a probe namespace that does not exist (the probe creates it and deletes it afterwards), or, if it is a probe namespace an older version left, delete it: kubectl delete namespace ${namespace}`,
    );
  }
  return judged.map(({ cluster, state }) =>
    state.state === 'probe'
      ? { cluster, action: 'take over', from: state.run }
      : { cluster, action: 'create' },
  );
}
