import {
  ProxyRoutes,
  RouteProof,
  TrafficRequests,
  TrafficVerification,
} from '@istio-mesh/plugin-istio-mesh-common';
import { findCluster, MeshEnvironment } from '../environment/meshEnvironment';
import { judgeUnreadable } from '../join/members';
import { underMeshLease } from '../join/meshLease';
import { StepLog } from '../progress/stepLog';
import { waitFor } from '../progress/waitFor';
import { readClusterMembership } from '../status/clusterMembership';
import { sendClientRequests } from './clientRequests';
import { serviceEndpointCounts } from './endpointCounts';
import {
  DEFAULT_PROBE_IMAGES,
  PROBE_PORT,
  PROBE_SERVICE,
} from './probeManifests';
import { formatRouteProof } from './routeLines';
import { RouteMember, routesToldToProxy } from './routesTold';
import { probeNamespaceProblem } from './probeNamespace';
import {
  applyTrafficProbe,
  ProbePods,
  readProbeNamespaces,
  removeTrafficProbe,
  waitForProbePods,
} from './trafficProbe';

const STEP = 'traffic';
const PODS_SECONDS = 120;

/**
 * What the cross-cluster traffic check is asked to do.
 *
 * @public
 */
export interface TrafficRequest {
  /** The mesh whose members get the probe. */
  meshId: string;
  /**
   * The probe namespace; `mesh-probe` by default. The probe creates it, and refuses
   * one that exists unless an earlier probe run created it.
   */
  namespace?: string;
  /** The istiod revision the probe namespace is labelled for; default injection otherwise. */
  revision?: string;
  /** Images for the probe; Istio's samples where unset. */
  images?: { helloworld?: string; curl?: string };
  /** Leave the probe in place afterwards, to look at it. */
  keepProbe?: boolean;
  /** Requests per client at most; the client stops once every member answered. */
  requests?: number;
  /** How long istiod may take to tell every client every route. */
  routeWaitSeconds?: number;
  /** Report what the probe would apply, and change nothing. */
  dryRun: boolean;
  /**
   * This attempt of the task or command: it holds the mesh Lease while the probe runs,
   * and marks the namespace it creates, so cleanup deletes only what this run made.
   */
  run: string;
}

/** A Service's name in the mesh: what a sidecar's outbound cluster is named after. */
const serviceHost = (namespace: string) =>
  `${PROBE_SERVICE}.${namespace}.svc.cluster.local`;

/**
 * The runbook's closing check, made a judgement by Istio itself: the helloworld/curl
 * probe in every member; for each client, what istiod tells its sidecar about
 * helloworld (the route proof); then real requests from each client, counted per
 * member that answered. The probe is removed at the end, even when the check fails,
 * unless keepProbe is set.
 *
 * @public
 */
export async function verifyCrossClusterTraffic(
  env: MeshEnvironment,
  request: TrafficRequest,
  log: StepLog,
): Promise<TrafficVerification> {
  const namespace = request.namespace || 'mesh-probe';
  const problem = probeNamespaceProblem(namespace, env.meshNamespaces);
  if (problem) throw new Error(`nothing was changed: ${problem}`);
  // Two probes at once would take over each other's namespace: one at a time, as every
  // change to the mesh is. A dry run writes nothing, and waits for nobody.
  if (request.dryRun) return probeTraffic(env, request, namespace, log);
  return underMeshLease({ env, holder: request.run, log }, leased =>
    probeTraffic(leased, request, namespace, log),
  );
}

async function probeTraffic(
  env: MeshEnvironment,
  request: TrafficRequest,
  namespace: string,
  log: StepLog,
): Promise<TrafficVerification> {
  const memberships = await Promise.all(
    env.clusters.map(c =>
      readClusterMembership(c, { skipIstiod: 'read by the route proof' }),
    ),
  );
  const members: RouteMember[] = memberships
    .filter(m => m.reachable && m.meshId === request.meshId)
    .map(m => ({ cluster: findCluster(env, m.cluster), membership: m }));
  await judgeUnreadable({
    unreadable: memberships
      .filter(m => !m.reachable)
      .map(m => ({
        cluster: findCluster(env, m.cluster),
        problem: m.error ?? 'not reachable',
      })),
    members: members.map(m => m.cluster),
    step: STEP,
    log,
  });
  if (members.length < 2) {
    // The join of a mesh's first cluster ends here: there is no other cluster to reach.
    log.warn(
      `mesh ${request.meshId} has ${members.length} member(s) among the configured clusters: no cross-cluster traffic to check until a second one joins`,
    );
    return nothingProven(request.meshId, namespace);
  }
  const options = {
    namespace,
    run: request.run,
    revision: request.revision,
    images: {
      helloworld: request.images?.helloworld || DEFAULT_PROBE_IMAGES.helloworld,
      curl: request.images?.curl || DEFAULT_PROBE_IMAGES.curl,
    },
  };
  const names = members.map(m => ({
    cluster: m.cluster.name,
    clusterName: m.membership.clusterName ?? m.cluster.name,
  }));
  const plans = await readProbeNamespaces(
    members.map(m => m.cluster),
    namespace,
    log,
  );
  if (request.dryRun) {
    for (const [i, plan] of plans.entries()) {
      await applyTrafficProbe(plan, names[i].clusterName, {
        ...options,
        dryRun: true,
        log,
      });
    }
    log.info(
      'dry run: the route proof and the requests run after a real run applies the probe',
    );
    return nothingProven(request.meshId, namespace);
  }
  try {
    for (const [i, plan] of plans.entries()) {
      await applyTrafficProbe(plan, names[i].clusterName, {
        ...options,
        dryRun: false,
        log,
      });
    }
    const pods = await Promise.all(
      members.map((m, i) =>
        waitForProbePods(
          m.cluster,
          names[i].clusterName,
          namespace,
          PODS_SECONDS,
        ),
      ),
    );
    log.info(
      `probe running in ${members.length} member(s), every pod injected: ${pods
        .map((p, i) => `${members[i].cluster.name} ${p.client.metadata!.name}`)
        .join(', ')}`,
    );
    const routeProof = await proveRoutes(
      members,
      pods,
      namespace,
      request.routeWaitSeconds ?? 60,
    );
    for (const line of formatRouteProof(routeProof)) {
      if (routeProof.ok) log.info(line);
      else log.warn(line);
    }
    const requests: TrafficRequests[] = [];
    for (const [i, m] of members.entries()) {
      const result = await sendClientRequests(
        m.cluster,
        pods[i].client,
        names,
        request.requests ?? 10 * members.length,
      );
      requests.push(result);
      const line = `requests from ${result.pod} in ${result.cluster}: ${result.state}, ${result.detail}`;
      if (result.state === 'failed') log.warn(line);
      else log.info(line);
    }
    return {
      meshId: request.meshId,
      namespace,
      routeProof,
      requests,
      ok: routeProof.ok && requests.every(r => r.state !== 'failed'),
      probeKept: !!request.keepProbe,
    };
  } finally {
    if (request.keepProbe) {
      log.info(
        `probe kept in namespace ${namespace} of every member (keepProbe)`,
      );
    } else {
      for (const m of members)
        await removeTrafficProbe(m.cluster, namespace, request.run, log);
    }
  }
}

function nothingProven(meshId: string, namespace: string): TrafficVerification {
  return {
    meshId,
    namespace,
    routeProof: {
      service: `${serviceHost(namespace)}:${PROBE_PORT}`,
      clients: [],
      ok: true,
    },
    requests: [],
    ok: true,
    probeKept: false,
  };
}

/**
 * Asks each client's istiod what it tells the client about helloworld, until every
 * route is as expected or the time is up: istiod pushes a new endpoint within seconds,
 * and a new remote cluster once it has synced it.
 */
async function proveRoutes(
  members: RouteMember[],
  pods: ProbePods[],
  namespace: string,
  seconds: number,
): Promise<RouteProof> {
  const host = serviceHost(namespace);
  let clients: ProxyRoutes[] = [];
  await waitFor(
    seconds,
    async () => {
      const counts = new Map(
        await Promise.all(
          members.map(
            async m =>
              [
                m.cluster.name,
                (
                  await serviceEndpointCounts(m.cluster, namespace, [
                    PROBE_SERVICE,
                  ])
                ).get(PROBE_SERVICE)!,
              ] as const,
          ),
        ),
      );
      clients = await Promise.all(
        members.map((client, i) =>
          routesToldToProxy({
            client,
            proxy: `${pods[i].client.metadata!.name}.${namespace}`,
            host,
            port: PROBE_PORT,
            members,
            counts,
          }),
        ),
      );
      return clients.every(c => c.ok);
    },
    2000,
  );
  return {
    service: `${host}:${PROBE_PORT}`,
    clients,
    ok: clients.length > 0 && clients.every(c => c.ok),
  };
}
