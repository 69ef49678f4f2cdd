import { CoreV1Api } from '@kubernetes/client-node';
import {
  binaries,
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  lockClusters,
  resetIstio,
} from '@istio-mesh/local-clusters';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmReleases } from './__testUtils__/meshFacts';
import {
  startScaffolder,
  startScaffolderIn,
} from './__testUtils__/scaffolderHarness';

const bins = binaries();
const CONTEXT = 'cluster3';
const NO_PODS = 'no-pods';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const core = () => kubeConfigFor(CONTEXT).makeApiClient(CoreV1Api);

/** The helm processes installing istiod right now, by pid. */
function helmInstallingIstiod(): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter(
      l => l.includes(bins.helm) && l.includes('upgrade --install istiod'),
    )
    .map(l => Number(l.trim().split(/\s+/)[0]));
}

/**
 * Waits for the helm installing istiod, then for helm's own record of istiod (its
 * release Secret) to say pending: from then until helm finishes, stopping it
 * leaves work half done.
 */
async function helmMidIstiodInstall(): Promise<number> {
  let pids: number[] = [];
  for (let i = 0; i < 3000 && pids.length === 0; i++) {
    pids = helmInstallingIstiod();
    await sleep(20);
  }
  expect(pids).toHaveLength(1);
  for (let i = 0; i < 2000; i++) {
    const { items } = await core().listNamespacedSecret({
      namespace: 'istio-system',
      labelSelector:
        'owner=helm,name=istiod,status in (pending-install,pending-upgrade)',
    });
    if (items.length > 0) return pids[0];
    await sleep(5);
  }
  throw new Error('helm never recorded istiod as pending');
}

async function istiodRelease() {
  return (await helmReleases(bins, CONTEXT)).find(r => r.name === 'istiod');
}

const helmOnly = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'helm-only', namespace: 'default', title: 'helm only' },
  spec: {
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'helm',
        name: 'helm',
        action: 'istio:mesh:helm',
        input: {
          cluster: CONTEXT,
          meshId: 'mesh1',
          network: `network-${CONTEXT}`,
        },
      },
    ],
  },
};

describe('helm under control', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-control-'));
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let unlock: () => void;

  beforeAll(async () => {
    unlock = await lockClusters('helm control');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await resetIstio(CONTEXT);
    // istiod's pods are refused, so helm waits on istiod until it is stopped, as it
    // does in a real cluster whose quota or image pull holds a Deployment back.
    await core().createNamespace({
      body: { metadata: { name: 'istio-system' } },
    });
    await core().createNamespacedResourceQuota({
      namespace: 'istio-system',
      body: { metadata: { name: NO_PODS }, spec: { hard: { pods: '0' } } },
    });
    scaffolder = await startScaffolderIn(work, [helmOnly as never]);
  }, 300_000);

  afterAll(async () => {
    await scaffolder?.stop();
    await resetIstio(CONTEXT);
    rmSync(work, { recursive: true, force: true });
    unlock?.();
  }, 300_000);

  it('kills helm when the task is cancelled, and the next run recovers a release a killed helm left pending', async () => {
    // Cancelled from the portal mid-install: helm is stopped with the task.
    const cancelled = await scaffolder.start('helm-only', {});
    await helmMidIstiodInstall();
    await scaffolder.cancel(cancelled);
    const first = await scaffolder.finish(cancelled);
    // The scaffolder records a step stopped by Cancel as failed, with its error.
    expect(['cancelled', 'failed']).toContain(first.status);
    expect(first.log.join('\n')).toMatch(
      /helm upgrade failed: stopped: the task was cancelled/,
    );
    for (let i = 0; i < 40 && helmInstallingIstiod().length > 0; i++) {
      await sleep(250);
    }
    expect(helmInstallingIstiod()).toEqual([]);

    // A helm killed outright, as when the backend dies, leaves the release pending.
    const killed = await scaffolder.start('helm-only', {});
    process.kill(await helmMidIstiodInstall(), 'SIGKILL');
    const second = await scaffolder.finish(killed);
    expect(second.status).toBe('failed');
    expect((await istiodRelease())?.status).toMatch(/^pending-/);

    await core().deleteNamespacedResourceQuota({
      name: NO_PODS,
      namespace: 'istio-system',
    });
    const recovered = await scaffolder.run('helm-only', {});
    const log = recovered.log.join('\n');
    expect(recovered.status).toBe('completed');
    expect(log).toMatch(
      /release istiod is pending-(install|upgrade) .*left by a helm that was stopped/,
    );
    expect(log).toMatch(/release istiod recovered from pending-/);
    // Held through the whole install, renewed all along.
    expect(log).not.toMatch(/renewing the helm Lease/);
    expect((await istiodRelease())?.status).toBe('deployed');
  }, 600_000);
});
