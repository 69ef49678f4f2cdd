import { MembershipResponse } from '@istio-mesh/plugin-istio-mesh-common';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  binaries,
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  kubeconfigPath,
  LocalPostgres,
  lockClusters,
  remoteSecretNames,
  resetIstio,
  startLocalPostgres,
  stopLocalPostgres,
} from '@istio-mesh/local-clusters';
import {
  createRootCa,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BackendProcess,
  logOf,
  TaskEvent,
} from './__testUtils__/backendProcess';
import { joinThroughLibrary } from './__testUtils__/libraryJoin';
import { startProductionSignIn } from './__testUtils__/productionSignIn';

const bins = binaries();
const repoRoot = resolve(__dirname, '../../..');
/** The backends' logs, kept for a failed run. */
const artifacts = join(repoRoot, 'test-results', 'production');
const NO_PODS = 'no-pods';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const core = (context: string) =>
  kubeConfigFor(context).makeApiClient(CoreV1Api);

const joinValues = (cluster: string) => ({
  cluster: `resource:default/${cluster}`,
  meshId: 'mesh1',
  verifyTraffic: false,
});

function helmRevisions(context: string, release: string): number {
  const out = execFileSync(
    bins.helm,
    [
      ...['history', release, '-n', 'istio-system', '-o', 'json'],
      ...['--kube-context', context],
    ],
    { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfigPath } },
  );
  return (JSON.parse(out) as unknown[]).length;
}

const completed = (events: TaskEvent[]) =>
  events.some(e => e.type === 'completion');

/** The task completed; else its log is the failure. */
async function expectCompleted(replica: BackendProcess, id: string) {
  const status = await replica.taskStatus(id);
  if (status !== 'completed')
    throw new Error(
      `task ${id} ${status}:\n${logOf(await replica.events(id))}`,
    );
}

describe('the portal as production runs it: PostgreSQL, task recovery, two replicas', () => {
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-production-'));
  const rootCaDir = join(work, 'root');
  const backends: BackendProcess[] = [];
  let postgres: LocalPostgres;
  let signIn: Awaited<ReturnType<typeof startProductionSignIn>>;
  /** The two replicas of the second test, which the last one reuses. */
  let replicas: BackendProcess[] = [];
  let unlock: () => void;

  const backend = async (name: string) => {
    const { port, oidc } = signIn.next();
    const b = await BackendProcess.create({
      name,
      work,
      production: { postgres, oidc },
      rootCaDir,
      logDir: artifacts,
      port,
    });
    backends.push(b);
    await b.start();
    return b;
  };

  /** A mesh of east alone, joined through the library as the browser suite's is. */
  const meshOfEast = async () => {
    await Promise.all(['east', 'west', 'cluster3'].map(resetIstio));
    await joinThroughLibrary({
      clusters: ['east'],
      rootCaDir,
      holder: 'production suite',
    });
  };

  beforeAll(async () => {
    unlock = await lockClusters('production');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    postgres = await startLocalPostgres();
    signIn = await startProductionSignIn(5);
    await writeRootCaDir(rootCaDir, await createRootCa());
  });

  afterAll(async () => {
    // Settled, not all: the database stops even when a backend fails to.
    await Promise.allSettled(backends.map(b => b.stop()));
    if (postgres) await stopLocalPostgres(postgres);
    await signIn?.stop();
    unlock?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('recovers a join whose backend was killed during its helm step: a restarted backend starts the task over and it completes as an uninterrupted join would', async () => {
    await meshOfEast();
    // istiod's pods are refused until the kill, so helm is surely mid-install then.
    await core('west').createNamespace({
      body: { metadata: { name: 'istio-system' } },
    });
    await core('west').createNamespacedResourceQuota({
      namespace: 'istio-system',
      body: { metadata: { name: NO_PODS }, spec: { hard: { pods: '0' } } },
    });
    const first = await backend('first');
    const id = await first.startTask('add-cluster-to-mesh', joinValues('west'));
    await first.waitForEvents(
      id,
      events => /helm upgrade --install istiod/.test(logOf(events)),
      240,
    );
    await sleep(2000);
    await first.kill();
    await core('west').deleteNamespacedResourceQuota({
      name: NO_PODS,
      namespace: 'istio-system',
    });
    expect(await first.taskStatus(id).catch(() => 'unreachable')).toBe(
      'unreachable',
    );

    const restarted = await backend('restarted');
    const events = await restarted.waitForEvents(id, completed, 600);
    const log = logOf(events);
    await expectCompleted(restarted, id);
    expect(events.some(e => e.type === 'recovered')).toBe(true);
    expect(log).toMatch(
      /cluster west: release istiod recovered from pending-install/,
    );
    expect(log).toMatch(/remote-secret-graph: pass/);
    expect(log).toMatch(/cross-cluster-trust: pass/);
    // An uninterrupted join leaves revision 1; the recovery may add one.
    expect(helmRevisions('west', 'istiod')).toBeLessThanOrEqual(2);
    expect(await remoteSecretNames('east')).toEqual([
      'istio-remote-secret-west',
    ]);
    expect(await remoteSecretNames('west')).toEqual([
      'istio-remote-secret-east',
    ]);
  }, 900_000);

  it('runs two replicas on one database: two joins started at once, one on each, are serialized by the mesh Lease and both succeed; the status API answers the same from either', async () => {
    await Promise.all(backends.map(b => b.stop()));
    await meshOfEast();
    const [a, b] = await Promise.all([backend('a'), backend('b')]);
    replicas = [a, b];
    const ids = await Promise.all([
      a.startTask('add-cluster-to-mesh', joinValues('west')),
      b.startTask('add-cluster-to-mesh', joinValues('cluster3')),
    ]);
    const runs = await Promise.all([
      a.waitForEvents(ids[0], completed, 600),
      b.waitForEvents(ids[1], completed, 600),
    ]);
    await expectCompleted(a, ids[0]);
    await expectCompleted(b, ids[1]);
    // Each exchange ran under the mesh Lease, so the second saw the first's member.
    expect(await remoteSecretNames('east')).toEqual([
      'istio-remote-secret-cluster3',
      'istio-remote-secret-west',
    ]);
    expect(await remoteSecretNames('west')).toEqual([
      'istio-remote-secret-cluster3',
      'istio-remote-secret-east',
    ]);
    expect(await remoteSecretNames('cluster3')).toEqual([
      'istio-remote-secret-east',
      'istio-remote-secret-west',
    ]);
    for (const run of runs)
      expect(logOf(run)).toMatch(/remote-secret-graph: pass/);

    // What the Mesh tab shows, without the timings and certificates that differ per read.
    const membership = async (replica: BackendProcess) => {
      const res = await replica.get('/api/istio-mesh/membership');
      expect(res.status).toBe(200);
      const body = (await res.json()) as MembershipResponse;
      return {
        clusters: body.clusters.map(c => [c.cluster, c.meshId, c.clusterName]),
        meshes: body.meshes.map(m => ({
          meshId: m.meshId,
          checks: m.checks.map(c => [c.id, c.state]),
          links: m.links,
        })),
      };
    };
    const fromA = await membership(a);
    expect(fromA.clusters).toEqual([
      ['east', 'mesh1', 'east'],
      ['west', 'mesh1', 'west'],
      ['cluster3', 'mesh1', 'cluster3'],
    ]);
    expect(fromA.meshes[0].checks.filter(c => c[1] !== 'pass')).toEqual([]);
    expect(await membership(b)).toEqual(fromA);
  }, 1_200_000);

  it('gives bob, who is not in the platform team, 403 from the dry run of every mesh template and a failed task naming the permission, changes nothing in any cluster, and no error answer carries a stack trace', async () => {
    const [a] = replicas;
    const bob = signIn.reader;
    const secrets = async () =>
      Promise.all(
        ['east', 'west', 'cluster3'].map(async c =>
          (
            await core(c).listNamespacedSecret({ namespace: 'istio-system' })
          ).items.map(x => [x.metadata?.name, x.metadata?.resourceVersion]),
        ),
      );
    const before = await secrets();
    const requests: Record<string, Record<string, unknown>> = {
      'add-cluster-to-mesh': { ...joinValues('west') },
      'create-mesh': {
        clusters: ['resource:default/west', 'resource:default/cluster3'],
        meshId: 'mesh1',
      },
      'verify-cross-cluster-traffic': { meshId: 'mesh1' },
      'remove-cluster-from-mesh': {
        cluster: 'resource:default/west',
        meshId: 'mesh1',
      },
      'rotate-cluster-ca': { cluster: 'resource:default/east' },
      'rotate-mesh-root': { meshId: 'mesh1', phase: 'trust-both' },
    };
    const refusal = 'changing the mesh needs the istio-mesh.admin permission';
    const stackFrame = /\n\s+at \S|\.(ts|js):\d+:\d+/;
    for (const [template, values] of Object.entries(requests)) {
      const entity = await (
        await a.get(
          `/api/catalog/entities/by-name/template/default/${template}`,
          bob,
        )
      ).json();
      const dryRun = await a.request(
        '/api/scaffolder/v2/dry-run',
        {
          method: 'POST',
          body: JSON.stringify({
            template: entity,
            values,
            secrets: {},
            directoryContents: [],
          }),
        },
        bob,
      );
      const answer = await dryRun.text();
      expect([template, dryRun.status]).toEqual([template, 403]);
      expect(JSON.parse(answer).error.message).toBe(refusal);
      expect(answer).not.toMatch(stackFrame);

      const id = await a.startTask(template, values, bob);
      const events = await a.waitForEvents(id, completed, 120);
      expect([template, await a.taskStatus(id)]).toEqual([template, 'failed']);
      expect(logOf(events)).toContain(refusal);
      expect(logOf(events)).not.toMatch(stackFrame);
    }
    const notFound = await a.get(
      '/api/istio-mesh/endpoints?kubernetesId=nobody&namespace=shop',
      bob,
    );
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).not.toMatch(stackFrame);
    expect(await secrets()).toEqual(before);
  }, 600_000);
});
