import { MembershipResponse } from '@istio-mesh/plugin-istio-mesh-common';
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
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

/** west's istio-system refuses every pod, so a join's helm waits there for istiod. */
async function refusePodsInWest() {
  await core('west').createNamespace({
    body: { metadata: { name: 'istio-system' } },
  });
  await core('west').createNamespacedResourceQuota({
    namespace: 'istio-system',
    body: { metadata: { name: NO_PODS }, spec: { hard: { pods: '0' } } },
  });
}

const allowPodsInWest = () =>
  core('west').deleteNamespacedResourceQuota({
    name: NO_PODS,
    namespace: 'istio-system',
  });

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

  const backend = async (name: string, config?: Record<string, unknown>) => {
    const { port, oidc } = signIn.next();
    const b = await BackendProcess.create({
      name,
      work,
      production: { postgres, oidc },
      rootCaDir,
      logDir: artifacts,
      port,
      config,
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
    signIn = await startProductionSignIn(7);
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
    await refusePodsInWest();
    const first = await backend('first');
    const id = await first.startTask('add-cluster-to-mesh', joinValues('west'));
    await first.waitForEvents(
      id,
      events => /helm upgrade --install istiod/.test(logOf(events)),
      240,
    );
    await sleep(2000);
    await first.kill();
    await allowPodsInWest();
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

  it('takes a join over from a replica that stopped running while it held the helm Lease only once that Lease ran out; the stalled replica, running again, writes nothing more and the task stays completed', async () => {
    await Promise.all(backends.map(b => b.stop()));
    await meshOfEast();
    await refusePodsInWest();
    // A Lease of 15 s (renewed every 2.5 s, given up after 10 s) and recovery after 10 s
    // without a heartbeat: shorter than the defaults, so the takeover comes sooner.
    const settings = {
      istioMesh: { timeouts: { leaseSeconds: 15 } },
      scaffolder: { taskRecovery: { staleTimeout: { seconds: 10 } } },
    };
    const stalled = await backend('stalled', settings);
    const id = await stalled.startTask(
      'add-cluster-to-mesh',
      joinValues('west'),
    );
    await stalled.waitForEvents(
      id,
      events => /helm upgrade --install istiod/.test(logOf(events)),
      240,
    );
    stalled.freeze();
    try {
      // The helm it started is not frozen: with pods allowed it finishes its install
      // while its Lease is still good, and then nothing of the stalled replica runs.
      await allowPodsInWest();
      const live = await backend('live', settings);
      const events = await live.waitForEvents(id, completed, 600);
      await expectCompleted(live, id);
      const log = logOf(events);
      expect(events.some(e => e.type === 'recovered')).toBe(true);
      expect(log).toMatch(
        /waiting for scaffolder task \S+ on .* to release the helm Lease of cluster west/,
      );
      expect(log).toMatch(
        /took over the helm Lease of cluster west istio-system\/istio-mesh-helm from scaffolder task \S+ on .*, unchanged for 15s/,
      );
      expect(log).toMatch(/remote-secret-graph: pass/);

      const written = async () =>
        Promise.all(
          ['east', 'west'].map(async c => {
            // What a join writes: helm's releases, cacerts, remote secrets and our
            // Leases (istiod keeps writing its own leader ConfigMaps).
            const [secrets, leases] = await Promise.all([
              core(c).listNamespacedSecret({ namespace: 'istio-system' }),
              kubeConfigFor(c)
                .makeApiClient(CoordinationV1Api)
                .listLeaseForAllNamespaces(),
            ]);
            return [
              ...secrets.items,
              ...leases.items.filter(l =>
                l.metadata?.name?.startsWith('istio-mesh-'),
              ),
            ].map(o => [o.metadata?.name, o.metadata?.resourceVersion]);
          }),
        );
      const before = await written();
      stalled.thaw();
      const after = await live.waitForEvents(
        id,
        all => /lost the helm Lease of cluster west/.test(logOf(all)),
        60,
      );
      expect(logOf(after)).toMatch(
        /lost the helm Lease of cluster west istio-system\/istio-mesh-helm: no renewal succeeded within 10s/,
      );
      // Whatever the stalled replica still had queued would have been written by now.
      await sleep(3000);
      expect(await written()).toEqual(before);
      expect(await live.taskStatus(id)).toBe('completed');
    } finally {
      stalled.thaw();
    }
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

  it('gives a service holding the status reader token (backend.auth.externalAccess) the membership a person sees and nothing more: /endpoints and the scaffolder answer it 403, and the status API answers no token or a wrong one 401', async () => {
    const [a] = replicas;
    const clustersOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return ((await res.json()) as MembershipResponse).clusters.map(c => [
        c.cluster,
        c.meshId,
        c.clusterName,
      ]);
    };
    expect(
      await clustersOf(
        await a.requestWithToken('/api/istio-mesh/membership', a.statusToken),
      ),
    ).toEqual(await clustersOf(await a.get('/api/istio-mesh/membership')));
    const endpoints = await a.requestWithToken(
      '/api/istio-mesh/endpoints?kubernetesId=reviews&namespace=mesh-demo',
      a.statusToken,
    );
    // Backstage passes a service's call on to the catalog only for a token unrestricted
    // there; the /endpoints check of the entity is that call.
    expect(endpoints.status).toBe(403);
    expect(await endpoints.text()).toMatch(/target plugin 'catalog'/);

    const template = await (
      await a.get(
        '/api/catalog/entities/by-name/template/default/add-cluster-to-mesh',
      )
    ).json();
    const dryRun = await a.requestWithToken(
      '/api/scaffolder/v2/dry-run',
      a.statusToken,
      {
        method: 'POST',
        body: JSON.stringify({
          template,
          values: joinValues('west'),
          secrets: {},
          directoryContents: [],
        }),
      },
    );
    expect(dryRun.status).toBe(403);
    expect(await dryRun.text()).toMatch(
      /token's access is restricted to plugin\(s\) 'istio-mesh'/,
    );
    const task = await a.requestWithToken(
      '/api/scaffolder/v2/tasks',
      a.statusToken,
      {
        method: 'POST',
        body: JSON.stringify({
          templateRef: 'template:default/add-cluster-to-mesh',
          values: joinValues('west'),
        }),
      },
    );
    expect(task.status).toBe(403);

    for (const token of [undefined, `${a.statusToken}x`]) {
      const refused = await a.requestWithToken(
        '/api/istio-mesh/membership',
        token,
      );
      expect(refused.status).toBe(401);
    }
  }, 120_000);
});
