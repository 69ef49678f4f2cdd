import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  appConfigFragmentPath,
  binaries,
  freePort,
  kubeconfigPath,
  deployDemo,
  harnessPids,
  istiodDebugUrl,
  istiodLog,
  istiodMountedFile,
  kubeConfigFor,
  apiServerOpenStreams,
  CLUSTERS_TURN_TIMEOUT_MS,
  lockClusters,
  offLoopbackConnections,
  resetIstio,
  scaleIstiod,
  setGatewayNetworkLabel,
  waitForIstiod,
} from '@istio-mesh/local-clusters';
import { ConfigReader } from '@backstage/config';
import { remoteClusterRows } from '@istio-mesh/plugin-istio-mesh-common';
import {
  createIntermediateCa,
  createRootCa,
  entityEndpoints,
  FileRootCaSigner,
  formatRemoteClusters,
  meshChecks,
  meshClustersFromConfig,
  meshViews,
  readClusterMembership,
  validateCacerts,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Every port-forward the portal opened to ask istiod is closed again on both API
 * servers: their apiserver_longrunning_requests gauge for pods/portforward is back to 0
 * (within a few seconds, as the close travels through the API server).
 */
async function expectNoPortForwardsOpen() {
  for (const cluster of members) {
    await eventually(
      10,
      () =>
        apiServerOpenStreams(cluster, {
          resource: 'pods',
          subresource: 'portforward',
        }),
      open => open === 0,
    );
  }
}

/** The verify step alone, as a template: how a task reaches the action by itself. */
const verifyOnly = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'verify-only', namespace: 'default' },
  spec: {
    owner: 'group:default/platform',
    type: 'mesh-operation',
    parameters: [{ properties: {} }],
    steps: [
      {
        id: 'verify',
        name: 'Verify the mesh',
        action: 'istio:mesh:verify',
        input: {
          meshId: '${{ parameters.meshId }}',
          skipIstiodChecks: '${{ parameters.skipIstiodChecks }}',
        },
      },
    ],
  },
};

/** The verify step's own log lines, without the scaffolder's. */
const verifyLog = (r: TaskRun) =>
  r.events
    .filter(e => e.type === 'log' && e.body.stepId === 'verify')
    .map(e => e.body.message ?? '')
    .filter(m => !m.startsWith('Beginning step'));

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
      templates: [...projectTemplates(), verifyOnly as never],
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
    // As the README's demo does after a join: the demo's pods then get sidecars.
    deployDemo(binaries());
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

  it('passes the gateway rule for a hostname gateway, as EKS gives one, against the address istiod resolved it to', async () => {
    const service = await core('west').readNamespacedService({
      name: 'istio-eastwestgateway',
      namespace: 'istio-system',
    });
    const original = service.status!;
    // The harness's cluster DNS resolves this name, and only for the local istiods; an
    // address the gateway never had shows that istiod resolved it.
    const hostname = 'istio-eastwestgateway-127-2-9-9.lb.mesh.test';
    const setIngress = async (loadBalancer: object) => {
      const current = await core('west').readNamespacedService({
        name: 'istio-eastwestgateway',
        namespace: 'istio-system',
      });
      await core('west').replaceNamespacedServiceStatus({
        name: 'istio-eastwestgateway',
        namespace: 'istio-system',
        body: { ...current, status: { loadBalancer } },
      });
    };
    const clusters = meshClustersFromConfig(
      new ConfigReader(JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'))),
    ).filter(c => members.includes(c.name));
    await setIngress({ ingress: [{ hostname }] });
    try {
      const networkz = await eventually(
        30,
        () =>
          debug<{ Cluster: string; Addr: string }[]>('east', '/debug/networkz'),
        gws => gws.some(g => g.Cluster === 'west' && g.Addr === '127.2.9.9'),
      );
      expect(networkz.filter(g => g.Cluster === 'west')).toHaveLength(1);
      const checks = meshChecks(
        await Promise.all(clusters.map(c => readClusterMembership(c))),
      );
      expect(checks.find(c => c.id === 'istiod-knows-gateways')).toMatchObject({
        state: 'pass',
        detail: `2 istiods route to every other network's gateway (west's ${hostname}, resolved by istiod to 127.2.9.9)`,
      });
    } finally {
      await setIngress(original.loadBalancer!);
    }
    await eventually(
      60,
      () =>
        debug<{ Cluster: string; Addr: string }[]>('east', '/debug/networkz'),
      gws =>
        gws.some(
          g =>
            g.Cluster === 'west' &&
            g.Addr === original.loadBalancer!.ingress![0].ip,
        ),
    );
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

  it('answers /debug/clusterz through `kubectl port-forward -n istio-system deploy/istiod 15014`, the way the portal asks it', async () => {
    const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
    for (const c of fragment.istioMesh.clusters) {
      expect(c.istiodDebugUrl).toBeUndefined();
    }
    const port = await freePort();
    const forward = spawn(binaries().kubectl, [
      ...['--kubeconfig', kubeconfigPath, '--context', 'east'],
      ...['port-forward', '-n', 'istio-system', 'deploy/istiod'],
      ...['--address', '127.0.0.1', `${port}:15014`],
    ]);
    try {
      const clusterz = await eventually(
        30,
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/debug/clusterz`);
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return (await res.json()) as Clusterz;
        },
        z => z.some(c => c.id === 'west'),
      );
      expect(clusterz).toContainEqual(
        expect.objectContaining({ id: 'west', syncStatus: 'synced' }),
      );
    } finally {
      forward.kill();
    }
  });

  it('lists the same remote clusters as `istioctl remote-clusters`, run for real against each cluster', async () => {
    const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
    const clusters = meshClustersFromConfig(new ConfigReader(fragment));
    const normalized = (lines: string[]) =>
      lines.map(l => l.trim().split(/\s+/).join(' ')).filter(Boolean);
    for (const cluster of clusters.filter(c => members.includes(c.name))) {
      const membership = await readClusterMembership(cluster);
      const ours = normalized(
        formatRemoteClusters(remoteClusterRows(membership)),
      );
      const istioctl = execFileSync(
        binaries().istioctl,
        [
          'remote-clusters',
          ...['--kubeconfig', kubeconfigPath, '--context', cluster.name],
        ],
        { encoding: 'utf8' },
      );
      // A header and a row per cluster: this one and the other member.
      expect(ours).toHaveLength(3);
      expect(ours).toEqual(normalized(istioctl.split('\n')));
    }
  });

  it('leaves `istioctl analyze -A` no error on either member, and only the warnings docs/istio-procedure.md §7 explains', () => {
    for (const cluster of members) {
      const findings = JSON.parse(
        execFileSync(
          binaries().istioctl,
          [
            ...['analyze', '-A', '--kubeconfig', kubeconfigPath],
            ...['--context', cluster, '-o', 'json'],
            ...['--output-threshold', 'Warning'],
          ],
          { encoding: 'utf8' },
        ),
      ) as { code: string; level: string; origin: string }[];
      expect(findings.filter(f => f.level === 'Error')).toEqual([]);
      const explained = [
        'IST0170 Service istio-system/istio-eastwestgateway',
        'IST0170 Service default/kubernetes',
      ];
      for (const f of findings) {
        expect(explained).toContain(`${f.code} ${f.origin}`);
      }
    }
  });

  it("has verify and the status API ask each istiod through the API server's port-forward", () => {
    const log = joins.west.log.join('\n');
    expect(log).not.toMatch(/not asked/);
    expect(log).toContain('istiod-reads-members: pass');
  });

  it('leaves no port-forward stream open on either API server once verify has asked both istiods through them', async () => {
    expectCompleted(await scaffolder.run('verify-only', { meshId: 'mesh1' }));
    await expectNoPortForwardsOpen();
  });

  it('fails verify naming a member whose istiod is stopped; with skipIstiodChecks it passes and says first that Istio was not asked', async () => {
    await scaleIstiod('east', 0);
    try {
      await waitForIstiod('east', false);
      const stopped = await scaffolder.run('verify-only', { meshId: 'mesh1' });
      expect(stopped.status).toBe('failed');
      const failure = stopped.log.join('\n');
      expect(failure).toMatch(
        /istiod-reads-members: fail, east's istiod: istiod of cluster east did not answer/,
      );
      expect(failure).toMatch(/mesh mesh1 failed \d+ check\(s\):.*\(east\)/);
      // Asking an istiod that does not answer closes its port-forwards too.
      await expectNoPortForwardsOpen();

      const skipped = await scaffolder.run('verify-only', {
        meshId: 'mesh1',
        skipIstiodChecks: true,
      });
      expectCompleted(skipped);
      expect(verifyLog(skipped)[0]).toContain('Istio was not asked');
      expect(verifyLog(skipped).join('\n')).toContain(
        'istiod-reads-members: not-asked',
      );
    } finally {
      await scaleIstiod('east', 1);
      await waitForIstiod('east', true);
    }
  });

  describe('with cluster3 joined too', () => {
    const all = ['east', 'west', 'cluster3'];
    const configured = () =>
      meshClustersFromConfig(
        new ConfigReader(
          JSON.parse(readFileSync(appConfigFragmentPath, 'utf8')),
        ),
      ).filter(c => all.includes(c.name));
    const trustOf = async () => {
      const views = meshViews(
        await Promise.all(configured().map(c => readClusterMembership(c))),
        { removed: { records: [] }, now: new Date() },
      );
      return views.find(v => v.meshId === 'mesh1')!;
    };
    const rolloutRestart = (context: string) =>
      execFileSync(binaries().kubectl, [
        ...['--kubeconfig', kubeconfigPath, '--context', context],
        ...['rollout', 'restart', 'deployment/istiod', '-n', 'istio-system'],
      ]);
    const untrustedPairs = (
      trust: { issuer: string; verifier: string; state: string }[],
    ) =>
      trust
        .filter(t => t.state !== 'trusted')
        .map(t => `${t.issuer}->${t.verifier}`)
        .sort();

    let join3: TaskRun;

    beforeAll(async () => {
      join3 = await scaffolder.run('add-cluster-to-mesh', {
        cluster: 'resource:default/cluster3',
        meshId: 'mesh1',
      });
      expectCompleted(join3);
    }, 300_000);

    /** The traffic step's own log lines, without their colored level. */
    const trafficLog = (r: TaskRun) =>
      r.events
        .filter(e => e.type === 'log' && e.body.stepId === 'traffic')
        .map(e =>
          (e.body.message ?? '')
            // eslint-disable-next-line no-control-regex
            .replace(/\u001b\[\d+m/g, '')
            .replace(/^(info|warn): /, ''),
        )
        .join('\n');
    const gatewayOf = (c: string) => ({ east: 1, west: 2, cluster3: 3 }[c]);
    const trafficCheck = (extra: Record<string, unknown> = {}) =>
      scaffolder.run('verify-cross-cluster-traffic', {
        meshId: 'mesh1',
        keepProbe: true,
        ...extra,
      });

    it("ends the join with the traffic check: every client told its own network's helloworld directly and the others through their gateways on 15443", () => {
      const log = trafficLog(join3);
      for (const client of all) {
        expect(log).toMatch(
          new RegExp(
            `curl-[a-z0-9-]+\\.mesh-probe in ${client} \\(network-${client}\\):`,
          ),
        );
        for (const target of all) {
          const how =
            client === target
              ? `direct to 10\\.[0-9.]+:5000`
              : `through gateway 127\\.${gatewayOf(target)}\\.[0-9.]+:15443`;
          expect(log).toMatch(
            new RegExp(
              `-> ${target} \\(network-${target}\\): ${how}, 1 of 1 endpoint\\(s\\), ok`,
            ),
          );
        }
      }
      expect(log).toContain('every route as expected');
      expect(log).toMatch(
        /not run: no data plane here: curl-\S+ is on node east-node-\d, which kwok simulates/,
      );
      expect(log).toMatch(/cluster cluster3: Namespace mesh-probe deleted/);
    });

    it('runs the template: istiod injects the probe, the stand-in sidecars connect, and `istioctl proxy-status` lists them SYNCED', async () => {
      const r = await trafficCheck();
      expectCompleted(r);
      // The template's output shows the routes and the requests.
      expect(JSON.stringify(r.output)).toMatch(
        /what istiod tells each client about helloworld\.mesh-probe\.svc\.cluster\.local:5000: every route as expected/,
      );
      expect(JSON.stringify(r.output)).toContain('not run: no data plane here');
      for (const context of all) {
        const pods = await core(context).listNamespacedPod({
          namespace: 'mesh-probe',
        });
        expect(pods.items).toHaveLength(2);
        for (const pod of pods.items) {
          expect(pod.metadata?.labels?.['security.istio.io/tlsMode']).toBe(
            'istio',
          );
        }
        const status = await eventually(
          60,
          async () =>
            execFileSync(
              binaries().istioctl,
              // -v 1: a column per xDS type with its sync state; CDS, LDS, EDS, RDS here.
              [
                ...['proxy-status', '-v', '1'],
                ...['--kubeconfig', kubeconfigPath, '--context', context],
              ],
              { encoding: 'utf8' },
            ),
          out =>
            pods.items.every(p =>
              out
                .split('\n')
                .some(
                  line =>
                    line.startsWith(`${p.metadata!.name}.mesh-probe `) &&
                    /(SYNCED.*){4}/.test(line),
                ),
            ),
        );
        expect(status).toContain(context);
      }
    }, 240_000);

    /**
     * What must not change in a namespace the probe refuses: the namespace itself
     * (uid, labels, annotations, resourceVersion) and every Deployment and pod in it.
     */
    const namespaceSnapshot = async (context: string, namespace: string) => {
      const ns = await core(context).readNamespace({ name: namespace });
      const apps = kubeConfigFor(context).makeApiClient(AppsV1Api);
      const deployments = await apps.listNamespacedDeployment({ namespace });
      const pods = await core(context).listNamespacedPod({ namespace });
      return {
        uid: ns.metadata?.uid,
        resourceVersion: ns.metadata?.resourceVersion,
        labels: ns.metadata?.labels,
        annotations: ns.metadata?.annotations,
        deletionTimestamp: ns.metadata?.deletionTimestamp,
        deployments: deployments.items.map(d => [
          d.metadata?.name,
          d.metadata?.uid,
          d.metadata?.resourceVersion,
        ]),
        pods: pods.items.map(p => [p.metadata?.name, p.metadata?.uid]),
      };
    };

    it("refuses the demo's application namespace, by a run, a dry run and the dry-run API, and leaves it and its Deployments unchanged in every member, even where an older probe left its label", async () => {
      // What the probe before this fix left on a namespace it was pointed at.
      await core('west').patchNamespace(
        {
          name: 'mesh-demo',
          body: {
            metadata: {
              labels: { 'istio-mesh.backstage.io/traffic-probe': 'true' },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const before = await Promise.all(
        all.map(c => namespaceSnapshot(c, 'mesh-demo')),
      );
      expect(before.every(b => b.deployments.length > 0)).toBe(true);
      const refusal =
        /Namespace mesh-demo already exists in east, west, cluster3 and was not created by the traffic probe; nothing was changed\. Fix: name a probe namespace that does not exist/;
      for (const dryRun of [false, true]) {
        const r = await scaffolder.run('verify-cross-cluster-traffic', {
          meshId: 'mesh1',
          namespace: 'mesh-demo',
          dryRun,
        });
        expect(r.status).toBe('failed');
        expect(r.log.join('\n')).toMatch(refusal);
      }
      const viaApi = await scaffolder.dryRun('verify-cross-cluster-traffic', {
        meshId: 'mesh1',
        namespace: 'mesh-demo',
      });
      expect(viaApi.status).not.toBe(200);
      expect(viaApi.body).toMatch(refusal);
      expect(
        await Promise.all(all.map(c => namespaceSnapshot(c, 'mesh-demo'))),
      ).toEqual(before);
    }, 240_000);

    it('refuses istio-system and kube-system as the probe namespace by a run and by the dry-run API, before reading a cluster', async () => {
      const before = await namespaceSnapshot('east', 'istio-system');
      for (const namespace of ['istio-system', 'kube-system']) {
        const refusal = new RegExp(
          `nothing was changed: input namespace: ${namespace} (holds the mesh's own components|is a namespace Kubernetes keeps)`,
        );
        const r = await scaffolder.run('verify-cross-cluster-traffic', {
          meshId: 'mesh1',
          namespace,
        });
        expect(r.status).toBe('failed');
        expect(r.log.join('\n')).toMatch(refusal);
        const viaApi = await scaffolder.dryRun('verify-cross-cluster-traffic', {
          meshId: 'mesh1',
          namespace,
        });
        expect(viaApi.status).not.toBe(200);
        expect(viaApi.body).toMatch(refusal);
      }
      expect(await namespaceSnapshot('east', 'istio-system')).toEqual(before);
    }, 120_000);

    it('takes over the probe namespace a kept probe left, and cleans up only a namespace its own run marks', async () => {
      const marks = async () =>
        Promise.all(
          all.map(
            async c =>
              (await core(c).readNamespace({ name: 'mesh-probe' })).metadata
                ?.annotations?.['istio-mesh.backstage.io/traffic-probe-run'],
          ),
        );
      const left = await marks();
      expect(
        left.every(m => /^scaffolder task \S+ on .* attempt \w+$/.test(m!)),
      ).toBe(true);
      const r = await trafficCheck();
      expectCompleted(r);
      for (const [i, c] of all.entries()) {
        expect(trafficLog(r)).toContain(
          `cluster ${c}: Namespace mesh-probe was created by probe run ${left[i]}; taking it over for this run`,
        );
      }
      const taken = await marks();
      expect(new Set(taken).size).toBe(1);
      expect(taken[0]).not.toBe(left[0]);
      expect(taken[0]).toContain(r.id);
    }, 240_000);

    it('shows an uninjected Deployment of the probe service as unreachable from other networks, in our API and in what istiod tells the clients', async () => {
      const labels = { app: 'helloworld', version: 'uninjected' };
      await kubeConfigFor('west')
        .makeApiClient(AppsV1Api)
        .createNamespacedDeployment({
          namespace: 'mesh-probe',
          body: {
            metadata: {
              name: 'helloworld-uninjected',
              labels: { 'istio-mesh.backstage.io/traffic-probe': 'true' },
            },
            spec: {
              replicas: 1,
              selector: { matchLabels: labels },
              template: {
                metadata: {
                  labels: { ...labels, 'sidecar.istio.io/inject': 'false' },
                },
                spec: {
                  containers: [{ name: 'helloworld', image: 'helloworld' }],
                },
              },
            },
          },
        });
      const memberships = await Promise.all(
        configured().map(c => readClusterMembership(c)),
      );
      const ours = await eventually(
        60,
        () =>
          entityEndpoints(configured(), memberships, {
            labelSelector: 'app=helloworld',
            namespace: 'mesh-probe',
          }),
        body => body.endpoints.some(e => e.cluster === 'west' && e.ready === 2),
      );
      const west = ours.endpoints.find(e => e.cluster === 'west')!;
      expect(west).toMatchObject({ ready: 2, mtls: 1 });
      const fromEast = west.routes.find(r => r.fromNetwork === 'network-east')!;
      expect(fromEast.endpoints).toBe(1);
      expect(fromEast.leftOut?.count).toBe(1);
      expect(fromEast.leftOut?.fix).toContain(
        'label the namespace for injection',
      );
      const told = ours.routesTold.find(t => t.cluster === 'east')!;
      expect(told.state).toBe('agrees');
      expect(told.routes.find(r => r.cluster === 'west')).toMatchObject({
        via: 'gateway',
        endpoints: 1,
        expected: 1,
        leftOut: { count: 1 },
      });

      const r = await trafficCheck();
      expectCompleted(r);
      expect(trafficLog(r)).toMatch(
        /in east \(network-east\):\n(.*\n)* {2}-> west \(network-west\): through gateway 127\.2\.[0-9.]+:15443, 1 of 1 endpoint\(s\), ok; 1 left out: 1 of 2 endpoint\(s\) in west have no sidecar/,
      );
      expect(trafficLog(r)).toMatch(
        /in west \(network-west\):\n(.*\n)* {2}-> west \(network-west\): direct to 10\.[0-9.]+:5000, 10\.[0-9.]+:5000, 2 of 2 endpoint\(s\), ok/,
      );
    }, 240_000);

    it("fails the proof with the network label fix once west's gateway Service loses its label", async () => {
      setGatewayNetworkLabel('west');
      try {
        const r = await scaffolder.run('verify-cross-cluster-traffic', {
          meshId: 'mesh1',
          keepProbe: true,
        });
        expect(r.status).toBe('failed');
        const log = r.log.join('\n');
        expect(log).toMatch(
          /east -> west: told west's pod addresses directly, across networks: istiod knows no gateway for network-west; fix: label the east-west gateway Service in west with topology\.istio\.io\/network=network-west/,
        );
        expect(log).toMatch(
          /cluster3 -> west: told west's pod addresses directly/,
        );
        expect(log).not.toMatch(/-> east: told|-> cluster3: told/);
      } finally {
        setGatewayNetworkLabel('west', 'network-west');
      }
    }, 240_000);

    it("fails the proof with the remote secret fix once east's remote secret for cluster3 is gone; the join's re-run brings it back and removes the probe", async () => {
      await core('east').deleteNamespacedSecret({
        name: 'istio-remote-secret-cluster3',
        namespace: 'istio-system',
      });
      const r = await trafficCheck();
      expect(r.status).toBe('failed');
      expect(r.log.join('\n')).toMatch(
        /east -> cluster3: told nothing of cluster3: istiod in east does not read cluster3; fix: remote secret: re-run the remote secrets step for cluster3/,
      );
      const again = await scaffolder.run('add-cluster-to-mesh', {
        cluster: 'resource:default/cluster3',
        meshId: 'mesh1',
      });
      expectCompleted(again);
      expect(trafficLog(again)).toContain('every route as expected');
      const probeNamespaces = await Promise.all(
        all.map(c =>
          core(c)
            .readNamespace({ name: 'mesh-probe' })
            .then(ns => ns.status?.phase ?? 'Active')
            .catch(() => 'gone'),
        ),
      );
      for (const phase of probeNamespaces)
        expect(['gone', 'Terminating']).toContain(phase);
    }, 300_000);

    it("proves trust for every ordered pair with a certificate each istiod's CA issued, and verify prints the matrix", async () => {
      const verified = await scaffolder.run('verify-only', { meshId: 'mesh1' });
      expectCompleted(verified);
      const log = verifyLog(verified).join('\n');
      const spiffe =
        'spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe, trust domain cluster.local';
      for (const issuer of all) {
        for (const verifier of all.filter(c => c !== issuer)) {
          expect(log).toContain(
            `${issuer}'s workloads are trusted by ${verifier} (${spiffe})`,
          );
        }
      }
      expect(log).toContain('cross-cluster-trust: pass');
      const mesh = await trustOf();
      expect(mesh.trust).toHaveLength(6);
      expect(untrustedPairs(mesh.trust)).toEqual([]);
      // Nothing runs in the cluster for the proof: the probe is a ServiceAccount only.
      const probe = await core('east').readNamespacedServiceAccount({
        name: 'istio-mesh-trust-probe',
        namespace: 'istio-system',
      });
      expect(probe.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe(
        'istio-mesh-backstage',
      );
    });

    it('turns red exactly the pairs involving cluster3 once its istiod runs on a cacerts from a foreign root', async () => {
      const original = await core('cluster3').readNamespacedSecret({
        name: 'cacerts',
        namespace: 'istio-system',
      });
      const foreignDir = join(work, 'foreign-root');
      await writeRootCaDir(foreignDir, await createRootCa());
      const foreign = await createIntermediateCa(
        new FileRootCaSigner(foreignDir),
        { cluster: 'cluster3' },
      );
      const replaceCacerts = (data: Record<string, string>) =>
        core('cluster3').replaceNamespacedSecret({
          name: 'cacerts',
          namespace: 'istio-system',
          body: {
            metadata: { name: 'cacerts', namespace: 'istio-system' },
            type: original.type,
            data,
          },
        });
      try {
        await replaceCacerts(
          Object.fromEntries(
            Object.entries({
              'ca-cert.pem': foreign.caCert,
              'ca-key.pem': foreign.caKey,
              'root-cert.pem': foreign.rootCert,
              'cert-chain.pem': foreign.certChain,
            }).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
        );
        rolloutRestart('cluster3');
        const red = await eventually(
          90,
          trustOf,
          m =>
            untrustedPairs(m.trust).length > 0 &&
            m.trust.every(t => t.state !== 'not-asked') &&
            !m.trust.some(t => /issued no certificate/.test(t.detail)),
        );
        expect(untrustedPairs(red.trust)).toEqual(
          [
            'cluster3->east',
            'cluster3->west',
            'east->cluster3',
            'west->cluster3',
          ].sort(),
        );
        expect(
          red.checks.find(c => c.id === 'cross-cluster-trust'),
        ).toMatchObject({
          state: 'fail',
          detail: expect.stringContaining(
            "cluster3's workloads are not trusted by east: no root of the bundle signed",
          ),
        });
      } finally {
        await replaceCacerts(original.data!);
        rolloutRestart('cluster3');
      }
      const green = await eventually(
        90,
        trustOf,
        m => untrustedPairs(m.trust).length === 0,
      );
      expect(green.trust).toHaveLength(6);
    });

    it("fails a change naming every istiod that still routes to a cluster removed behind the portal's back; restartIstiodIfStale restarts them and passes", async () => {
      const gateway = await core('cluster3').readNamespacedService({
        name: 'istio-eastwestgateway',
        namespace: 'istio-system',
      });
      const address = gateway.status!.loadBalancer!.ingress![0].ip!;
      // cluster3 taken out by hand: the others' remote secrets for it deleted, and it
      // marked as no longer a member. istiod keeps its gateway until it restarts.
      for (const cluster of members) {
        await core(cluster).deleteNamespacedSecret({
          name: 'istio-remote-secret-cluster3',
          namespace: 'istio-system',
        });
      }
      await core('cluster3').patchNamespace(
        {
          name: 'istio-system',
          body: {
            metadata: { labels: { 'istio-mesh.backstage.io/member': 'false' } },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const stale = await scaffolder.run('rotate-cluster-ca', {
        cluster: 'resource:default/east',
      });
      expect(stale.status).toBe('failed');
      const failure = stale.log.join('\n');
      expect(failure).toContain(
        `cluster east, west, step rotate cacerts: istiod is stale after this change: east's istiod: still routes network network-cluster3 through cluster3's gateway ${address}:15443, though cluster3 is not a member. west's istiod: still routes network network-cluster3 through cluster3's gateway ${address}:15443`,
      );
      expect(failure).toContain(
        'Fix: restart istiod there (kubectl rollout restart deployment/istiod -n istio-system), or re-run with restartIstiodIfStale set',
      );

      const restarted = await scaffolder.run('rotate-cluster-ca', {
        cluster: 'resource:default/east',
        restartIstiodIfStale: true,
      });
      expectCompleted(restarted);
      const log = restarted.log.join('\n');
      expect(log).toMatch(
        /cluster east: istiod is stale after this change \(still routes network network-cluster3 .*\); restarting it, as restartIstiodIfStale asks/,
      );
      expect(log).toContain(
        'every istiod of mesh mesh1 (east, west) lists every member as synced and holds their endpoints and gateways',
      );
      for (const cluster of members) {
        const networkz = await debug<{ Cluster: string }[]>(
          cluster,
          '/debug/networkz',
        );
        expect(networkz.map(g => g.Cluster)).not.toContain('cluster3');
      }
    });

    it('removes cluster3 through the portal, revoking its intermediate and the tokens it held, leaving no istiod stale', async () => {
      const removal = await scaffolder.run('remove-cluster-from-mesh', {
        cluster: 'resource:default/cluster3',
        meshId: 'mesh1',
      });
      expectCompleted(removal);
      const log = removal.log.join('\n');
      expect(log).toMatch(
        /cluster cluster3: Secret istio-system\/cacerts deleted; its intermediate .* is recorded in ConfigMap istio-mesh\/istio-mesh-removed-intermediates of cluster east as removed, still trusted by the mesh root until /,
      );
      for (const cluster of members) {
        expect(log).toContain(
          `cluster ${cluster}: reader token rotated; old Secret`,
        );
      }
      expect(log).toContain(
        'every istiod of mesh mesh1 (east, west) lists every member as synced and holds their endpoints and gateways',
      );
      await expect(
        core('cluster3').readNamespacedSecret({
          name: 'cacerts',
          namespace: 'istio-system',
        }),
      ).rejects.toMatchObject({ code: 404 });
      const removed = await core('east').readNamespacedConfigMap({
        name: 'istio-mesh-removed-intermediates',
        namespace: 'istio-mesh',
      });
      expect(
        Object.values(removed.data ?? {}).map(v => JSON.parse(v)),
      ).toContainEqual(
        expect.objectContaining({
          cluster: 'cluster3',
          clusterName: 'cluster3',
          subject: expect.stringContaining('L=cluster3'),
          sha256: expect.stringMatching(/^[0-9A-F:]+$/),
        }),
      );
    });
  });

  it('refuses a removal naming a mesh no member has, naming the one they have, and changes nothing', async () => {
    const before = await secretFiles('east', 'istio-remote-secret-west');
    const r = await scaffolder.run('remove-cluster-from-mesh', {
      cluster: 'resource:default/west',
      meshId: 'mesh2',
    });
    expect(r.status).toBe('failed');
    expect(r.log.join('\n')).toContain(
      'cluster west, step remove: no configured cluster is a member of mesh mesh2; nothing was changed. Fix: name the mesh the cluster leaves: mesh1 (east, west)',
    );
    expect(await secretFiles('east', 'istio-remote-secret-west')).toEqual(
      before,
    );
  });

  it("removes west from the two-member mesh with the defaults: the removal restarts east's istiod, left routing through west's gateway, and proves it let go", async () => {
    const removal = await scaffolder.run('remove-cluster-from-mesh', {
      cluster: 'resource:default/west',
      meshId: 'mesh1',
    });
    expectCompleted(removal);
    const log = removal.log.join('\n');
    expect(log).toContain(
      'every istiod of mesh mesh1 (east) lists every member as synced and holds their endpoints and gateways',
    );
    const networkz = await debug<{ Cluster: string }[] | null>(
      'east',
      '/debug/networkz',
    );
    expect((networkz ?? []).map(g => g.Cluster)).not.toContain('west');
  }, 300_000);

  it("kept every istiod's connections on loopback", () => {
    expect(offLoopbackConnections(harnessPids())).toEqual([]);
  });
});
