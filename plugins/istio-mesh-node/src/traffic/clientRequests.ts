import { CoreV1Api, Exec, V1Pod } from '@kubernetes/client-node';
import { TrafficRequests } from '@istio-mesh/plugin-istio-mesh-common';
import { PassThrough } from 'node:stream';
import { MeshCluster } from '../clusters/meshCluster';
import { PROBE_CLIENT, PROBE_PORT, PROBE_SERVICE } from './probeManifests';

/** The annotation kwok puts on the nodes it simulates; their pods run no containers. */
const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
const EXEC_TIMEOUT_MS = 15_000;

/** The version and instance one helloworld answer names ("Hello version: v1, instance: …"). */
export function parseHelloAnswer(
  output: string,
): { version: string; instance: string } | undefined {
  const m = /Hello version: ([^,\s]+), instance: (\S+)/.exec(output);
  return m ? { version: m[1], instance: m[2] } : undefined;
}

/**
 * Counts answers per member: each answer names the version, which the probe sets to
 * the member's clusterName. It passes when every member answered at least once.
 */
export function countAnswers(
  client: { cluster: string; pod: string },
  outputs: string[],
  members: { cluster: string; clusterName: string }[],
): TrafficRequests {
  const answeredBy: Record<string, number> = Object.fromEntries(
    members.map(m => [m.cluster, 0]),
  );
  let failures = 0;
  for (const output of outputs) {
    const answer = parseHelloAnswer(output);
    const member = members.find(m => m.clusterName === answer?.version);
    if (member) answeredBy[member.cluster]++;
    else failures++;
  }
  const silent = members.filter(m => answeredBy[m.cluster] === 0);
  return {
    ...client,
    attempts: outputs.length,
    answeredBy,
    failures,
    state: silent.length ? 'failed' : 'passed',
    detail: silent.length
      ? `no answer from ${silent.map(m => m.cluster).join(', ')} in ${
          outputs.length
        } request(s)`
      : `every member answered (${members
          .map(m => `${m.cluster} ${answeredBy[m.cluster]}`)
          .join(', ')})`,
  };
}

/** Why the client cannot send real requests here, when its node runs no containers. */
async function noDataPlane(
  cluster: MeshCluster,
  pod: V1Pod,
): Promise<string | undefined> {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return undefined;
  const node = await cluster
    .kubeConfig()
    .makeApiClient(CoreV1Api)
    .readNode({ name: nodeName });
  return node.metadata?.annotations?.[KWOK_NODE_ANNOTATION]
    ? `not run: no data plane here: ${
        pod.metadata!.name
      } is on node ${nodeName}, which kwok simulates (${KWOK_NODE_ANNOTATION}), so no container runs to send a request; the route proof is the judge`
    : undefined;
}

/** Runs one command in the client container through the API server's exec; its stdout. */
function execOnce(
  cluster: MeshCluster,
  pod: V1Pod,
  command: string[],
): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', c => chunks.push(c));
  return new Promise((resolve, reject) => {
    // The session is closed when the time is up, or it stays open on the API server
    // and in the pod, however often the check is re-run.
    let session: { close(): void } | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      session?.close();
      reject(new Error(`exec timed out after ${EXEC_TIMEOUT_MS} ms`));
    }, EXEC_TIMEOUT_MS);
    new Exec(cluster.kubeConfig())
      .exec(
        pod.metadata!.namespace!,
        pod.metadata!.name!,
        PROBE_CLIENT,
        command,
        out,
        null,
        null,
        false,
        status => {
          clearTimeout(timer);
          if (status.status === 'Success')
            resolve(Buffer.concat(chunks).toString('utf8'));
          else reject(new Error(status.message ?? 'command failed'));
        },
      )
      .then(ws => {
        session = ws;
        if (timedOut) ws.close();
      })
      .catch(e => {
        clearTimeout(timer);
        reject(e);
      });
  });
}

/**
 * The runbook's last check, from one client: `curl -s helloworld.<ns>:5000/hello`,
 * `attempts` times, each through the API server's exec into the client container, and
 * the answers counted per member. A client on a node without containers reports "not
 * run" and why.
 */
export async function sendClientRequests(
  cluster: MeshCluster,
  pod: V1Pod,
  members: { cluster: string; clusterName: string }[],
  attempts: number,
): Promise<TrafficRequests> {
  const client = { cluster: cluster.name, pod: pod.metadata!.name! };
  const skipped = await noDataPlane(cluster, pod);
  if (skipped) {
    return {
      ...client,
      state: 'not-run',
      attempts: 0,
      answeredBy: {},
      failures: 0,
      detail: skipped,
    };
  }
  const url = `http://${PROBE_SERVICE}.${
    pod.metadata!.namespace
  }:${PROBE_PORT}/hello`;
  const outputs: string[] = [];
  for (let i = 0; i < attempts; i++) {
    outputs.push(
      await execOnce(cluster, pod, [
        'curl',
        '-s',
        '--max-time',
        '5',
        url,
      ]).catch(e => `error: ${(e as Error).message}`),
    );
    const counted = countAnswers(client, outputs, members);
    if (counted.state === 'passed') return counted;
  }
  return countAnswers(client, outputs, members);
}
