import { CoreV1Api } from '@kubernetes/client-node';
import {
  binaries,
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  lockClusters,
  resetIstio,
  restartApiServer,
  stopApiServer,
} from '@istio-mesh/local-clusters';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshot } from './__testUtils__/meshFacts';
import {
  projectTemplates,
  startScaffolderIn,
  TaskRun,
} from './__testUtils__/scaffolderHarness';

const bins = binaries();
const CLUSTERS = ['east', 'west', 'cluster3'];
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const createValues = (clusters = CLUSTERS) => ({
  clusters: clusters.map(c => `resource:default/${c}`),
  meshId: 'mesh1',
});

/** For each cluster, the clusters its istiod has a remote secret for. */
async function remoteSecretGraph(clusters = CLUSTERS) {
  const graph: Record<string, string[]> = {};
  for (const c of clusters) {
    const { items } = await kubeConfigFor(c)
      .makeApiClient(CoreV1Api)
      .listNamespacedSecret({
        namespace: 'istio-system',
        labelSelector: 'istio/multiCluster=true',
      });
    graph[c] = items.flatMap(s => Object.keys(s.data ?? {})).sort();
  }
  return graph;
}

/** Fails with the task's log, so a failure in CI says why. */
function expectCompleted(run: TaskRun) {
  if (run.status !== 'completed') {
    throw new Error(`task ${run.status}:\n${run.log.join('\n')}`);
  }
}

const snapshots = () =>
  Promise.all(CLUSTERS.map(c => snapshot(bins, kubeConfigFor(c), c)));

describe('the Create mesh template, run by the scaffolder backend', () => {
  const work = mkdtempSync(join(tmpdir(), 'create-mesh-'));
  let scaffolder: Awaited<ReturnType<typeof startScaffolderIn>>;
  let unlock: () => void;

  beforeAll(async () => {
    unlock = await lockClusters('create mesh');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await Promise.all(CLUSTERS.map(resetIstio));
    scaffolder = await startScaffolderIn(work, projectTemplates());
  }, 300_000);

  // Left as it is: every suite that needs istio-system clean resets it first.
  afterAll(async () => {
    await scaffolder?.stop();
    rmSync(work, { recursive: true, force: true });
    unlock?.();
  });

  it('creates a three-cluster mesh in one run: every remote secret, every istiod synced, and a re-run changes nothing', async () => {
    const untouched = await snapshots();
    const dryRun = await scaffolder.run('create-mesh', {
      ...createValues(),
      dryRun: true,
    });
    expectCompleted(dryRun);
    expect(dryRun.log.join('\n')).toMatch(
      /cluster cluster3: helm would install istiod .*Deployment/,
    );
    expect(dryRun.log.join('\n')).toMatch(
      /cluster east: would create Secret istio-system\/istio-remote-secret-west once west's reader token exists/,
    );
    expect(await snapshots()).toEqual(untouched);

    const created = await scaffolder.run('create-mesh', createValues());
    const log = created.log.join('\n');
    expectCompleted(created);
    expect(log).toMatch(/installing on 3 clusters, at most 4 at once/);
    expect(log).toMatch(
      /plan: exchange remote secrets with west, cluster3 \(west, cluster3 joining in this run\)/,
    );
    expect(log).toMatch(/exchanging remote secrets among 3 members: 6/);
    expect(await remoteSecretGraph()).toEqual({
      east: ['cluster3', 'west'],
      west: ['cluster3', 'east'],
      cluster3: ['east', 'west'],
    });
    // Each istiod's own clusterz, through the port-forward: its peers synced.
    for (const c of CLUSTERS) {
      expect(log).toMatch(
        new RegExp(`remote clusters of ${c}'s istiod \\(as istioctl`),
      );
    }
    expect(log).toMatch(
      /istiod-reads-members: pass, 3 istiods list every other member as synced/,
    );
    expect(log).toMatch(/cross-cluster-trust: pass/);
    expect(created.output).toEqual({
      text: [
        {
          title: 'Members',
          content: expect.stringMatching(/^- east\n- west\n- cluster3\s*$/),
        },
      ],
    });

    const before = await snapshots();
    const again = await scaffolder.run('create-mesh', createValues());
    expectCompleted(again);
    expect(await snapshots()).toEqual(before);
  }, 600_000);

  it('finishes and links the other clusters when one API server stops during the install, and a re-run after its restart completes the mesh', async () => {
    await Promise.all(CLUSTERS.map(resetIstio));
    const core3 = kubeConfigFor('cluster3').makeApiClient(CoreV1Api);
    const task = await scaffolder.start('create-mesh', createValues());
    // Stopped once cluster3's install has begun: its istio-system is there.
    for (let i = 0; i < 1200; i++) {
      const ns = await core3
        .readNamespace({ name: 'istio-system' })
        .catch(() => undefined);
      if (ns) break;
      await sleep(50);
    }
    await stopApiServer('cluster3');
    let failed: TaskRun;
    try {
      failed = await scaffolder.finish(task);
    } finally {
      await restartApiServer('cluster3');
    }
    const log = failed.log.join('\n');
    expect(failed.status).toBe('failed');
    expect(log).toMatch(/cluster cluster3 failed; the others go on/);
    expect(log).toMatch(
      /cluster cluster3, step install: 1 cluster did not join mesh mesh1: .*Fix: fix each cause named, then run Create mesh again with the same clusters/,
    );
    expect(log).toMatch(/exchanging remote secrets among 2 members: 2/);
    expect(await remoteSecretGraph(['east', 'west'])).toEqual({
      east: ['west'],
      west: ['east'],
    });

    expectCompleted(await scaffolder.run('create-mesh', createValues()));
    expect(await remoteSecretGraph()).toEqual({
      east: ['cluster3', 'west'],
      west: ['cluster3', 'east'],
      cluster3: ['east', 'west'],
    });
  }, 900_000);
});
