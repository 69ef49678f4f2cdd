import { CoreV1Api } from '@kubernetes/client-node';
import {
  binaries,
  deployDemo,
  harnessPids,
  istiodDebugUrl,
  istiodLog,
  istiodMountedFile,
  kubeConfigFor,
  CLUSTERS_TURN_TIMEOUT_MS,
  lockClusters,
  offLoopbackConnections,
  resetIstio,
} from '@istio-mesh/local-clusters';
import {
  createRootCa,
  validateCacerts,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  projectTemplates,
  startScaffolder,
  TaskRun,
} from './__testUtils__/scaffolderHarness';
import { secretData } from './__testUtils__/meshFacts';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const core = (c: string) => kubeConfigFor(c).makeApiClient(CoreV1Api);
const members = ['east', 'west'];
const other = (c: string) => members.find(m => m !== c)!;

async function debug<T>(cluster: string, path: string): Promise<T> {
  const res = await fetch(`${istiodDebugUrl(cluster)}${path}`);
  if (!res.ok) throw new Error(`${cluster} ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

type Clusterz = { id: string; syncStatus: string }[];

/** Polls until check passes, returning the last value; fails with the last value seen. */
async function eventually<T>(
  seconds: number,
  read: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      error = undefined;
      if (check(last)) return last;
    } catch (e) {
      error = e;
    }
    await sleep(500);
  }
  throw new Error(
    `not within ${seconds}s; last: ${JSON.stringify(last)} ${error ?? ''}`,
  );
}

const secretFiles = (cluster: string, name: string) =>
  secretData(kubeConfigFor(cluster), name);

describe('istiod, run locally against each cluster, judges the joins', () => {
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-istiod-test-'));
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let unlock: () => void;
  let rootPem: string;
  const joined: Record<string, number> = {};
  const joins: Record<string, TaskRun> = {};

  const expectCompleted = (r: TaskRun) => {
    if (r.status !== 'completed') {
      throw new Error(`task ${r.status}:\n${r.log.join('\n')}`);
    }
  };

  beforeAll(async () => {
    unlock = await lockClusters('istiod');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await Promise.all(['east', 'west', 'cluster3'].map(resetIstio));
    const root = await createRootCa();
    rootPem = root.certPem;
    await writeRootCaDir(join(work, 'root'), root);
    deployDemo(binaries());
    scaffolder = await startScaffolder({
      istioMesh: { rootCa: { type: 'file', directory: join(work, 'root') } },
      workingDirectory: workspace,
      templates: projectTemplates(),
    });
    for (const cluster of members) {
      const r = await scaffolder.run('add-cluster-to-mesh', {
        cluster: `resource:default/${cluster}`,
        meshId: 'mesh1',
      });
      expectCompleted(r);
      joined[cluster] = Date.now();
      joins[cluster] = r;
    }
  }, 600_000);

  afterAll(async () => {
    unlock?.();
    await scaffolder?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the other cluster as synced in each /debug/clusterz, within 30 s of the join', async () => {
    for (const cluster of members) {
      const left = 30 - (Date.now() - joined.west) / 1000;
      const clusterz = await eventually(
        Math.max(left, 1),
        () => debug<Clusterz>(cluster, '/debug/clusterz'),
        z => z.some(c => c.id === other(cluster) && c.syncStatus === 'synced'),
      );
      expect(clusterz).toContainEqual(
        expect.objectContaining({
          id: other(cluster),
          secretName: `istio-system/istio-remote-secret-${other(cluster)}`,
          syncStatus: 'synced',
        }),
      );
    }
  });

  it("has the template's verify step ask both istiods, and pass", () => {
    const log = joins.west.log.join('\n');
    expect(log).toContain(
      'istiod-reads-members: pass, 2 istiods list every other member as synced',
    );
    expect(log).toContain(
      "istiod-knows-gateways: pass, 2 istiods route to every other network's gateway",
    );
  });

  it('starts istiod with our cacerts as its plugged-in CA, which then publishes our root', async () => {
    for (const cluster of members) {
      const log = istiodLog(cluster);
      expect(log).toContain('Use local CA certificate');
      expect(log).not.toContain('Use self-signed certificate');
      const cacerts = await secretFiles(cluster, 'cacerts');
      expect(istiodMountedFile(cluster, 'etc/cacerts/ca-cert.pem')).toBe(
        cacerts['ca-cert.pem'],
      );
      const published = await eventually(
        30,
        () =>
          core(cluster).readNamespacedConfigMap({
            name: 'istio-ca-root-cert',
            namespace: 'istio-system',
          }),
        cm => !!cm.data?.['root-cert.pem'],
      );
      expect(published.data!['root-cert.pem'].trim()).toBe(rootPem.trim());
    }
  });

  it("has the east-west gateway's pods injected by istiod through the loopback webhook", async () => {
    for (const cluster of members) {
      const pods = await core(cluster).listNamespacedPod({
        namespace: 'istio-system',
        labelSelector: 'app=istio-eastwestgateway',
      });
      expect(pods.items.length).toBeGreaterThan(0);
      for (const pod of pods.items) {
        const proxy = pod.spec!.containers.find(c => c.name === 'istio-proxy')!;
        // The chart leaves "auto" for the injector to replace.
        expect(proxy.image).toMatch(/^istio\/proxyv2:/);
      }
      expect(istiodLog(cluster)).toContain('Process sidecar injection request');
    }
  });

  it('catches a cacerts with a foreign cert-chain.pem before istiod ever sees it', async () => {
    const east = await secretFiles('east', 'cacerts');
    const west = await secretFiles('west', 'cacerts');
    const report = validateCacerts({
      ...east,
      'cert-chain.pem': west['cert-chain.pem'],
    });
    expect(report.ok).toBe(false);
    expect(report.errors.map(e => e.file)).toContain('cert-chain.pem');
    expect(istiodMountedFile('east', 'etc/cacerts/cert-chain.pem')).toBe(
      east['cert-chain.pem'],
    );
  });

  it("shows the other network's gateway in each /debug/networkz, at the address the harness gave it", async () => {
    for (const cluster of members) {
      const service = await core(other(cluster)).readNamespacedService({
        name: 'istio-eastwestgateway',
        namespace: 'istio-system',
      });
      const address = service.status!.loadBalancer!.ingress![0].ip!;
      expect(address).toMatch(/^127\./);
      const networkz = await eventually(
        30,
        () =>
          debug<
            { Network: string; Cluster: string; Addr: string; Port: number }[]
          >(cluster, '/debug/networkz'),
        gws => gws.some(g => g.Network === `network-${other(cluster)}`),
      );
      expect(networkz).toContainEqual(
        expect.objectContaining({
          Network: `network-${other(cluster)}`,
          Cluster: other(cluster),
          Addr: address,
          Port: 15443,
        }),
      );
    }
  });

  it("holds the demo service's endpoints under Kubernetes/east and Kubernetes/west in /debug/endpointShardz", async () => {
    const host = 'reviews.mesh-demo.svc.cluster.local';
    for (const cluster of members) {
      const shards = await eventually(
        30,
        () =>
          debug<
            Record<
              string,
              Record<string, { Shards: Record<string, unknown[]> }>
            >
          >(cluster, '/debug/endpointShardz'),
        s =>
          s[host]?.['mesh-demo']?.Shards['Kubernetes/east']?.length === 2 &&
          s[host]?.['mesh-demo']?.Shards['Kubernetes/west']?.length === 1,
      );
      expect(Object.keys(shards[host]['mesh-demo'].Shards).sort()).toEqual([
        'Kubernetes/east',
        'Kubernetes/west',
      ]);
    }
  });

  it('drops a cluster from /debug/clusterz when its remote secret is deleted; the exchange brings it back', async () => {
    await core('east').deleteNamespacedSecret({
      name: 'istio-remote-secret-west',
      namespace: 'istio-system',
    });
    await eventually(
      30,
      () => debug<Clusterz>('east', '/debug/clusterz'),
      z => !z.some(c => c.id === 'west'),
    );
    const again = await scaffolder.run('add-cluster-to-mesh', {
      cluster: 'resource:default/west',
      meshId: 'mesh1',
    });
    expectCompleted(again);
    const clusterz = await debug<Clusterz>('east', '/debug/clusterz');
    expect(clusterz).toContainEqual(
      expect.objectContaining({ id: 'west', syncStatus: 'synced' }),
    );
  });

  it("kept every istiod's connections on loopback", () => {
    expect(offLoopbackConnections(harnessPids())).toEqual([]);
  });
});
