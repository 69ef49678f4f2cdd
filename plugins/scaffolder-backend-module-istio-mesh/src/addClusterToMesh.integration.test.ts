import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  appConfigFragmentPath,
  remoteSecretNames,
  binaries,
  freePort,
  harnessPids,
  istiodLog,
  istiodMountedFile,
  kubeConfigFor,
  kubeconfigPath,
  CLUSTERS_TURN_TIMEOUT_MS,
  lockClusters,
  offLoopbackConnections,
  resetIstio,
  restartApiServer,
  runningClusters,
  stopApiServer,
} from '@istio-mesh/local-clusters';
import {
  createRootCa,
  meshClustersFromConfig,
  readMeshStatus,
  removedIntermediatesLocationFromConfig,
  validateCacerts,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { ConfigReader } from '@backstage/config';
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import {
  helmReleases,
  helmValues,
  secretData as readSecretData,
  snapshot,
} from './__testUtils__/meshFacts';
import {
  projectTemplates,
  startScaffolder,
  TaskRun,
} from './__testUtils__/scaffolderHarness';

const exec = promisify(execFile);
const repoRoot = join(__dirname, '../../..');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
/** What istiod logs when its cacerts file watcher reloads the plugged-in CA. */
const RELOADED = 'Update Istiod cacerts';
const bins = binaries();
const contexts = ['east', 'west', 'cluster3'];
const kc: Record<string, KubeConfig> = Object.fromEntries(
  contexts.map(c => [c, kubeConfigFor(c)]),
);
const core = (c: string) => kc[c].makeApiClient(CoreV1Api);
/**
 * The CRD the AWS Load Balancer Controller installs, which the join looks for on an EKS
 * cluster. West plays an EKS cluster that runs the controller: the load-balancer
 * stand-in then plays the controller, giving the gateway Service its address.
 */
const TARGET_GROUP_BINDINGS = 'targetgroupbindings.elbv2.k8s.aws';
const crds = () => kc.west.makeApiClient(ApiextensionsV1Api);

const secretData = (context: string, name: string) =>
  readSecretData(kc[context], name);

// The traffic check that ends a join has its own suite (istiodJudges): off here.
const joinValues = (cluster: string, extra: Record<string, unknown> = {}) => ({
  cluster: `resource:default/${cluster}`,
  meshId: 'mesh1',
  verifyTraffic: false,
  ...extra,
});

/**
 * Part of the "Add cluster to mesh" template, as its own template: the steps up to
 * `to` are what a task killed after that step has done; the `from` step alone is the
 * step a fault test aims at.
 */
function joinSteps(name: string, from: string, to: string) {
  const template = projectTemplates().find(
    t => t.metadata.name === 'add-cluster-to-mesh',
  )!;
  const spec = template.spec as { steps: { id: string }[] };
  const ids = spec.steps.map(s => s.id);
  return {
    ...template,
    metadata: { ...template.metadata, name },
    spec: {
      ...spec,
      steps: spec.steps.slice(ids.indexOf(from), ids.indexOf(to) + 1),
      output: {},
    },
  };
}

describe('the Add cluster to mesh template, run by the scaffolder backend', () => {
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-join-test-'));
  const rootDir = join(work, 'root');
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  const runs: TaskRun[] = [];
  const seenTokens: string[] = [];
  /** The reader's token Secrets: removal rotates them, under generated names. */
  const readerTokenSecrets = async (c: string) =>
    (
      await core(c).listNamespacedSecret({ namespace: 'istio-system' })
    ).items.filter(
      x =>
        x.type === 'kubernetes.io/service-account-token' &&
        x.metadata?.annotations?.['kubernetes.io/service-account.name'] ===
          'istio-reader-service-account',
    );
  const readerToken = async (c: string) => {
    const [secret] = await readerTokenSecrets(c);
    return Buffer.from(secret.data!.token, 'base64').toString('utf8');
  };
  /** A client of cluster c's API server that authenticates with nothing but token. */
  const withToken = (c: string, token: string) => {
    const k = new KubeConfig();
    k.loadFromClusterAndUser(kc[c].getCurrentCluster()!, {
      name: 'reader',
      token,
    });
    return k.makeApiClient(CoreV1Api);
  };
  /**
   * The status cluster c's API server answers a request with token, polled until 401
   * for up to 30 s: it keeps a token's successful authentication for a few seconds.
   */
  const statusOnceRevoked = async (c: string, token: string) => {
    let status: number | undefined;
    for (let i = 0; i < 60 && status !== 401; i++) {
      status = await withToken(c, token)
        .listNamespacedSecret({ namespace: 'istio-system' })
        .then(
          () => 200,
          (e: { code?: number }) => e.code,
        );
      if (status !== 401) await sleep(500);
    }
    return status;
  };
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let rootPem: string;

  const run = async (template: string, values: Record<string, unknown>) => {
    const r = await scaffolder.run(template, values);
    runs.push(r);
    return r;
  };
  const expectCompleted = (r: TaskRun) => {
    if (r.status !== 'completed') {
      throw new Error(`task ${r.status}:\n${r.log.join('\n')}`);
    }
  };

  let unlock: () => void;

  beforeAll(async () => {
    unlock = await lockClusters('join');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await Promise.all(contexts.map(resetIstio));
    const root = await createRootCa();
    await writeRootCaDir(rootDir, root);
    rootPem = root.certPem;
    await crds()
      .createCustomResourceDefinition({
        body: {
          metadata: { name: TARGET_GROUP_BINDINGS },
          spec: {
            group: 'elbv2.k8s.aws',
            names: {
              kind: 'TargetGroupBinding',
              plural: 'targetgroupbindings',
            },
            scope: 'Namespaced',
            versions: [
              {
                name: 'v1beta1',
                served: true,
                storage: true,
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    x_kubernetes_preserve_unknown_fields: true,
                  },
                },
              },
            ],
          },
        },
      })
      .catch((e: { code?: number }) => {
        if (e.code !== 409) throw e;
      });
    scaffolder = await startScaffolder({
      istioMesh: { rootCa: { type: 'file', directory: rootDir } },
      workingDirectory: workspace,
      clusterSettings: {
        west: {
          provider: 'eks',
          loadBalancerSourceRanges: ['127.0.0.0/8'],
        },
      },
      templates: [
        ...projectTemplates(),
        joinSteps('join-until-install', 'preflight', 'install'),
        joinSteps(
          'join-remote-secrets-only',
          'remote-secrets',
          'remote-secrets',
        ),
        joinSteps('join-exchange-and-verify', 'remote-secrets', 'verify'),
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await crds()
      .deleteCustomResourceDefinition({ name: TARGET_GROUP_BINDINGS })
      .catch(() => undefined);
    unlock?.();
    await scaffolder?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const remoteSecrets = remoteSecretNames;

  it('refuses an uppercase cluster name at the first step, applying nothing', async () => {
    const before = await snapshot(bins, kc.east, 'east');
    const r = await run('add-cluster-to-mesh', joinValues('East'));
    expect(r.status).toBe('failed');
    expect(r.log.join('\n')).toMatch(
      /nothing was changed: input cluster: cluster "East" is not a DNS-1123 label/,
    );
    expect(
      r.events.some(
        e => e.body.stepId === 'install' && e.body.status !== 'skipped',
      ),
    ).toBe(false);
    expect(await snapshot(bins, kc.east, 'east')).toEqual(before);
  });

  it('refuses an unreachable cluster and a root store without a key, in pre-flight', async () => {
    const deadPort = await freePort();
    const broken = mkdtempSync(join(work, 'no-key-'));
    await writeRootCaDir(broken, await createRootCa());
    rmSync(join(broken, 'root-key.pem'));
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { rootCa: { type: 'file', directory: broken } },
        'east',
        /cluster east, step pre-flight: the mesh root CA .* cannot sign: cannot read .*root-key.pem/,
      ],
    ];
    for (const [istioMesh, cluster, message] of cases) {
      const other = await startScaffolder({
        istioMesh,
        workingDirectory: workspace,
      });
      try {
        const r = await other.run('add-cluster-to-mesh', joinValues(cluster));
        runs.push(r);
        expect(r.status).toBe('failed');
        expect(r.log.join('\n')).toMatch(message);
      } finally {
        await other.stop();
      }
    }
    const unreachable = await startScaffolder({
      istioMesh: {},
      workingDirectory: workspace,
      extraClusters: [
        {
          kubernetes: {
            name: 'ghost',
            url: `https://127.0.0.1:${deadPort}`,
            authProvider: 'serviceAccount',
            skipTLSVerify: true,
          },
          mesh: {
            name: 'ghost',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'not-a-token',
          },
        },
      ],
    });
    try {
      const r = await unreachable.run(
        'add-cluster-to-mesh',
        joinValues('ghost'),
      );
      runs.push(r);
      expect(r.status).toBe('failed');
      expect(r.log.join('\n')).toMatch(
        new RegExp(
          `cluster ghost, step pre-flight: cannot reach the API server at https://127.0.0.1:${deadPort}`,
        ),
      );
    } finally {
      await unreachable.stop();
    }
  });

  it('joins east, completing on a re-run after a task that stopped after the install step', async () => {
    expectCompleted(await run('join-until-install', joinValues('east')));
    expect((await helmReleases(bins, 'east')).map(r => r.name).sort()).toEqual([
      'istio-base',
      'istio-eastwestgateway',
      'istiod',
    ]);
    const r = await run('add-cluster-to-mesh', joinValues('east'));
    expectCompleted(r);
    expect(r.log.join('\n')).toMatch(
      /istiod .* is deployed with these values; unchanged/,
    );
  });

  it("refuses, in pre-flight, a name already in the mesh, a different meshID, a member's network, Istio two minors from a member's, and an L7 load balancer in chartValues", async () => {
    const before = await snapshot(bins, kc.west, 'west');
    const sameName = await run(
      'add-cluster-to-mesh',
      joinValues('west', { clusterName: 'east' }),
    );
    expect(sameName.status).toBe('failed');
    expect(sameName.log.join('\n')).toMatch(
      /cluster west, step pre-flight: cluster name "east" is already in the mesh, used by cluster east/,
    );
    const otherMesh = await run(
      'add-cluster-to-mesh',
      joinValues('west', { meshId: 'mesh2' }),
    );
    expect(otherMesh.status).toBe('failed');
    expect(otherMesh.log.join('\n')).toMatch(
      /cluster west, step pre-flight: mesh ID "mesh2" differs from the members' \(east: "mesh1"\)/,
    );
    const clash = await run(
      'add-cluster-to-mesh',
      joinValues('west', { network: 'network-east' }),
    );
    expect(clash.status).toBe('failed');
    expect(clash.log.join('\n')).toMatch(
      /cluster west, step pre-flight: network "network-east" is already the network of east: .*Fix: give the cluster a network of its own \(network-west\), or set sharedNetwork/,
    );
    const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
    const pinned: string = fragment.istioMesh.charts.version;
    const older = `1.${Number(pinned.split('.')[1]) - 2}.0`;
    const skew = await run(
      'add-cluster-to-mesh',
      joinValues('west', { istioVersion: older }),
    );
    expect(skew.status).toBe('failed');
    expect(skew.log.join('\n')).toContain(
      `cluster west, step pre-flight: Istio ${older} is more than one minor from the control plane of east (${pinned})`,
    );
    expect(await snapshot(bins, kc.west, 'west')).toEqual(before);

    // The same API server as west, configured with an NLB that terminates TLS.
    const entry = (list: { name: string }[]) =>
      list.find(c => c.name === 'west')!;
    const l7 = await startScaffolder({
      istioMesh: { rootCa: { type: 'file', directory: rootDir } },
      workingDirectory: workspace,
      extraClusters: [
        {
          kubernetes: {
            ...entry(fragment.kubernetes.clusterLocatorMethods[0].clusters),
            name: 'west-l7',
          },
          mesh: {
            ...entry(fragment.istioMesh.clusters),
            name: 'west-l7',
            chartValues: {
              gateway: {
                service: {
                  annotations: {
                    'service.beta.kubernetes.io/aws-load-balancer-ssl-cert':
                      'arn:aws:acm:eu-west-1:111122223333:certificate/example',
                  },
                },
              },
            },
          },
        },
      ],
    });
    try {
      const refused = await l7.run(
        'add-cluster-to-mesh',
        joinValues('west-l7'),
      );
      runs.push(refused);
      expect(refused.status).toBe('failed');
      expect(refused.log.join('\n')).toMatch(
        /cluster west-l7, step pre-flight: the chartValues give the east-west gateway's Service an L7 load balancer \(service\.beta\.kubernetes\.io\/aws-load-balancer-ssl-cert on every port\).*Fix: remove those annotations from istioMesh\.clusters\[\]\.chartValues\.gateway/,
      );
    } finally {
      await l7.stop();
    }
    expect(await snapshot(bins, kc.west, 'west')).toEqual(before);
  });

  it('joins west, and each cluster ends with what the runbook gives it', async () => {
    const r = await run('add-cluster-to-mesh', joinValues('west'));
    expectCompleted(r);
    expect(r.log.join('\n')).toContain(
      'plan: expose the east-west gateway: public, an NLB of the AWS Load Balancer Controller, ports 15021 and 15443 only from 127.0.0.0/8',
    );
    expect(r.output.links).toEqual([
      {
        title: 'Mesh tab of the cluster',
        url: '/catalog/default/resource/west/mesh',
      },
    ]);
    for (const [self, other] of [
      ['east', 'west'],
      ['west', 'east'],
    ]) {
      const ns = await core(self).readNamespace({ name: 'istio-system' });
      expect(ns.metadata?.labels?.['topology.istio.io/network']).toBe(
        `network-${self}`,
      );

      const cacerts = await core(self).readNamespacedSecret({
        name: 'cacerts',
        namespace: 'istio-system',
      });
      expect(cacerts.type).toBe('Opaque');
      expect(Object.keys(cacerts.data ?? {}).sort()).toEqual([
        'ca-cert.pem',
        'ca-key.pem',
        'cert-chain.pem',
        'root-cert.pem',
      ]);
      const files = await secretData(self, 'cacerts');
      expect(validateCacerts(files).ok).toBe(true);
      expect(files['root-cert.pem'].trim()).toBe(rootPem.trim());

      const releases = await helmReleases(bins, self);
      expect(Object.fromEntries(releases.map(x => [x.name, x.status]))).toEqual(
        {
          'istio-base': 'deployed',
          istiod: 'deployed',
          'istio-eastwestgateway': 'deployed',
        },
      );
      const istiod = await helmValues(bins, self, 'istiod');
      expect(istiod.global).toMatchObject({
        meshID: 'mesh1',
        multiCluster: { clusterName: self },
        network: `network-${self}`,
      });
      expect(
        await helmValues(bins, self, 'istio-eastwestgateway'),
      ).toMatchObject({
        name: 'istio-eastwestgateway',
        labels: { 'topology.istio.io/network': `network-${self}` },
        env: { ISTIO_META_REQUESTED_NETWORK_VIEW: `network-${self}` },
      });
      // Only the ports the mesh needs, with west's EKS profile and source ranges, and
      // still an address from the load-balancer stand-in.
      const service = await core(self).readNamespacedService({
        name: 'istio-eastwestgateway',
        namespace: 'istio-system',
      });
      expect(service.spec?.ports?.map(p => [p.name, p.port])).toEqual([
        ['status-port', 15021],
        ['tls', 15443],
      ]);
      expect(service.metadata?.labels?.['topology.istio.io/network']).toBe(
        `network-${self}`,
      );
      expect(service.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(/^127\./);
      const lb = (key: string) =>
        service.metadata?.annotations?.[
          `service.beta.kubernetes.io/aws-load-balancer-${key}`
        ];
      const exposure = {
        west: {
          annotations: ['external', 'ip', 'internet-facing'],
          ranges: ['127.0.0.0/8'],
        },
        east: { annotations: [undefined, undefined, undefined] },
      };
      expect({
        annotations: [lb('type'), lb('nlb-target-type'), lb('scheme')],
        ranges: service.spec?.loadBalancerSourceRanges,
      }).toEqual(exposure[self as 'east' | 'west']);

      const gateway = (await kc[self]
        .makeApiClient(CustomObjectsApi)
        .getNamespacedCustomObject({
          group: 'networking.istio.io',
          version: 'v1',
          namespace: 'istio-system',
          plural: 'gateways',
          name: 'cross-network-gateway',
        })) as { spec: unknown };
      expect(gateway.spec).toEqual({
        selector: { istio: 'eastwestgateway' },
        servers: [
          {
            port: { number: 15443, name: 'tls', protocol: 'TLS' },
            tls: { mode: 'AUTO_PASSTHROUGH' },
            hosts: ['*.local'],
          },
        ],
      });

      // The remote secret for the other cluster: its token reads, and cannot write.
      const remote = await secretData(self, `istio-remote-secret-${other}`);
      const asReader = new KubeConfig();
      asReader.loadFromString(remote[other]);
      const readerCore = asReader.makeApiClient(CoreV1Api);
      await expect(
        readerCore.listServiceForAllNamespaces(),
      ).resolves.toBeDefined();
      await expect(
        readerCore.createNamespacedSecret({
          namespace: 'default',
          body: { metadata: { name: 'reader-must-not-write' } },
        }),
      ).rejects.toMatchObject({ code: 403 });
    }
  });

  it('writes the same remote secret as istioctl create-remote-secret', async () => {
    const east = runningClusters().find(c => c.name === 'east')!;
    const { stdout } = await exec(bins.istioctl, [
      'create-remote-secret',
      '--kubeconfig',
      kubeconfigPath,
      '--context',
      'east',
      '--name',
      'east',
      '--server',
      east.server,
      '--istioNamespace',
      'istio-system',
    ]);
    expect(
      stdout.startsWith('# This file is autogenerated, do not edit.\n'),
    ).toBe(true);
    const theirs = parseAllDocuments(stdout)[0].toJS();
    const ours = await core('west').readNamespacedSecret({
      name: 'istio-remote-secret-east',
      namespace: 'istio-system',
    });
    expect({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        annotations: ours.metadata?.annotations,
        labels: ours.metadata?.labels,
        name: ours.metadata?.name,
        namespace: ours.metadata?.namespace,
      },
      stringData: await secretData('west', 'istio-remote-secret-east'),
    }).toEqual(theirs);
    // Byte for byte, not only the same object once parsed.
    expect((await secretData('west', 'istio-remote-secret-east')).east).toBe(
      theirs.stringData.east,
    );
    expect(parse(theirs.stringData.east).users[0].user.token).toBeTruthy();
  });

  it('changes nothing when the whole template runs again', async () => {
    const before = await Promise.all(
      contexts.map(c => snapshot(bins, kc[c], c)),
    );
    expectCompleted(await run('add-cluster-to-mesh', joinValues('west')));
    expectCompleted(await run('add-cluster-to-mesh', joinValues('east')));
    const after = await Promise.all(
      contexts.map(c => snapshot(bins, kc[c], c)),
    );
    expect(after).toEqual(before);
  });

  it('dry-runs without changing anything, saying what it would do', async () => {
    const before = await Promise.all(
      contexts.map(c => snapshot(bins, kc[c], c)),
    );
    const r = await run('rotate-cluster-ca', {
      cluster: 'resource:default/east',
      dryRun: true,
    });
    expectCompleted(r);
    expect(r.log.join('\n')).toMatch(
      /would sign a new intermediate for east and update Secret istio-system\/cacerts/,
    );
    expect(
      await Promise.all(contexts.map(c => snapshot(bins, kc[c], c))),
    ).toEqual(before);
  });

  it('rotates a cluster CA to a new intermediate from the same root', async () => {
    const before = await secretData('east', 'cacerts');
    expectCompleted(
      await run('rotate-cluster-ca', { cluster: 'resource:default/east' }),
    );
    const after = await secretData('east', 'cacerts');
    expect(after['ca-cert.pem']).not.toBe(before['ca-cert.pem']);
    expect(after['root-cert.pem']).toBe(before['root-cert.pem']);
    expect(validateCacerts(after).ok).toBe(true);
    // The running istiod takes the new intermediate from its cacerts mount.
    for (let i = 0; i < 60 && !istiodLog('east').includes(RELOADED); i++) {
      await sleep(500);
    }
    expect(istiodLog('east')).toContain(RELOADED);
    expect(istiodLog('east')).not.toContain('Failed to update new Plug-in CA');
    expect(istiodMountedFile('east', 'etc/cacerts/ca-cert.pem')).toBe(
      after['ca-cert.pem'],
    );
  });

  it('replaces a cacerts carrying tls.crt whole: istiod would read that key first', async () => {
    await core('east').patchNamespacedSecret(
      {
        name: 'cacerts',
        namespace: 'istio-system',
        body: [
          {
            op: 'add',
            path: '/data/tls.crt',
            value: Buffer.from('not ours').toString('base64'),
          },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    const r = await run('add-cluster-to-mesh', joinValues('east'));
    expectCompleted(r);
    expect(r.log.join('\n')).toContain(
      'tls.crt is present, and istiod reads tls.crt, tls.key and ca.crt in preference to the four plugged-in CA files',
    );
    expect(Object.keys(await secretData('east', 'cacerts')).sort()).toEqual([
      'ca-cert.pem',
      'ca-key.pem',
      'cert-chain.pem',
      'root-cert.pem',
    ]);
  });

  it("leaves a cluster another join is installing to that join's own exchange, and verifies the members without it", async () => {
    // Two joins at once: cluster3's install is done and its exchange has not run when
    // west's exchange and verify run (the production suite races the same two for real).
    expectCompleted(await run('join-until-install', joinValues('cluster3')));
    const istioSystem = await core('cluster3').readNamespace({
      name: 'istio-system',
    });
    expect(istioSystem.metadata?.labels).toMatchObject({
      'istio-mesh.backstage.io/member': 'joining',
    });
    const r = await run('join-exchange-and-verify', joinValues('west'));
    expectCompleted(r);
    const log = r.log.join('\n');
    expect(log).toMatch(
      /cluster cluster3: joining mesh1 too, its remote secrets not exchanged yet; its own exchange links it with west/,
    );
    expect(log).toMatch(
      /joins-finished: pending, cluster3: Istio is installed and the remote secrets are not exchanged yet.*fix: if no join of it is running, run "Add cluster to mesh" for it again/,
    );
    expect(log).toMatch(/remote-secret-graph: pass, all 2 links present/);
    expect(await remoteSecrets('east')).toEqual(['istio-remote-secret-west']);
    expect(await remoteSecrets('cluster3')).toEqual([]);
    const west = await core('west').readNamespace({ name: 'istio-system' });
    expect(west.metadata?.labels).toMatchObject({
      'istio-mesh.backstage.io/member': 'true',
      'topology.istio.io/network': 'network-west',
    });
  });

  it('joins a third cluster to the two-member mesh, with remote secrets to and from both', async () => {
    expectCompleted(await run('add-cluster-to-mesh', joinValues('cluster3')));
    expect(await remoteSecrets('cluster3')).toEqual([
      'istio-remote-secret-east',
      'istio-remote-secret-west',
    ]);
    expect(await remoteSecrets('east')).toEqual([
      'istio-remote-secret-cluster3',
      'istio-remote-secret-west',
    ]);
    expect(await remoteSecrets('west')).toEqual([
      'istio-remote-secret-cluster3',
      'istio-remote-secret-east',
    ]);
    const istioSystem = await core('cluster3').readNamespace({
      name: 'istio-system',
    });
    expect(istioSystem.metadata?.labels).toMatchObject({
      'istio-mesh.backstage.io/member': 'true',
    });
  });

  it('fails the exchange naming a member whose API server is down, leaves the others consistent, and completes on a re-run', async () => {
    expectCompleted(
      await run('remove-cluster-from-mesh', {
        cluster: 'resource:default/cluster3',
        meshId: 'mesh1',
        // Istio has kept a removed cluster's gateway until istiod restarts (docs/istio-procedure.md §10).
        restartIstiodIfStale: true,
      }),
    );
    expect(await remoteSecrets('east')).toEqual(['istio-remote-secret-west']);
    await stopApiServer('west');
    let failed: TaskRun;
    try {
      failed = await run('join-remote-secrets-only', joinValues('cluster3'));
    } finally {
      await restartApiServer('west');
    }
    expect(failed.status).toBe('failed');
    expect(failed.log.join('\n')).toMatch(
      /cluster west, step remote secrets: cannot read its API server at .*, and it is a mesh member: east reads it through Secret istio-system\/istio-remote-secret-west\. Fix: bring the API server back/,
    );
    expect(await remoteSecrets('east')).toEqual(['istio-remote-secret-west']);
    expect(await remoteSecrets('cluster3')).toEqual([]);

    expectCompleted(await run('add-cluster-to-mesh', joinValues('cluster3')));
    for (const [c, others] of [
      ['east', ['cluster3', 'west']],
      ['west', ['cluster3', 'east']],
      ['cluster3', ['east', 'west']],
    ] as const) {
      expect(await remoteSecrets(c)).toEqual(
        others.map(o => `istio-remote-secret-${o}`),
      );
    }
  });

  let westIntermediate: X509Certificate;

  it('removes west: no remote secret for it anywhere, its reader token revoked, and the tokens it held of the others rotated', async () => {
    westIntermediate = new X509Certificate(
      (await secretData('west', 'cacerts'))['ca-cert.pem'],
    );
    seenTokens.push(await readerToken('west'));
    const held = {
      east: await readerToken('east'),
      cluster3: await readerToken('cluster3'),
    };
    seenTokens.push(...Object.values(held));
    expectCompleted(
      await run('remove-cluster-from-mesh', {
        cluster: 'resource:default/west',
        meshId: 'mesh1',
        // Istio has kept a removed cluster's gateway until istiod restarts (docs/istio-procedure.md §10).
        restartIstiodIfStale: true,
      }),
    );
    expect(await remoteSecrets('east')).toEqual([
      'istio-remote-secret-cluster3',
    ]);
    expect(await remoteSecrets('cluster3')).toEqual([
      'istio-remote-secret-east',
    ]);
    expect(await remoteSecrets('west')).toEqual([]);
    expect(await readerTokenSecrets('west')).toEqual([]);
    // The tokens west held of the others no longer open their API servers; the
    // rewritten remote secrets do, and their istiods still read each other.
    for (const [c, token] of Object.entries(held)) {
      expect(await statusOnceRevoked(c, token)).toBe(401);
      expect(await readerTokenSecrets(c)).toHaveLength(1);
      expect(await readerToken(c)).not.toBe(token);
    }
  });

  it("lists west's removed intermediate in the certificate calendar, as the status API and the CLI read it", async () => {
    const config = new ConfigReader(
      JSON.parse(readFileSync(appConfigFragmentPath, 'utf8')),
    );
    const clusters = meshClustersFromConfig(config).filter(c =>
      contexts.includes(c.name),
    );
    const status = await readMeshStatus(
      clusters,
      removedIntermediatesLocationFromConfig(config, clusters),
    );
    const { calendar } = status.meshes.find(m => m.meshId === 'mesh1')!;
    expect(calendar.entries.map(e => [e.role, e.clusters.join()])).toEqual(
      expect.arrayContaining([
        ['root', 'east,cluster3'],
        ['intermediate', 'east'],
        ['intermediate', 'cluster3'],
        ['removed-intermediate', 'west'],
        ['removed-intermediate', 'cluster3'],
      ]),
    );
    // cluster3 left and rejoined earlier, so its first intermediate is listed too.
    expect(
      calendar.entries.find(
        e => e.role === 'removed-intermediate' && e.clusters[0] === 'west',
      ),
    ).toMatchObject({
      serial: westIntermediate.serialNumber,
      sha256: westIntermediate.fingerprint256,
      notAfter: new Date(westIntermediate.validTo).toISOString(),
      state: 'valid',
    });
    const { stdout } = await exec(
      process.execPath,
      [
        join(repoRoot, 'plugins/istio-mesh-cli/bin/istio-mesh'),
        ...['ca', 'calendar', '--config', appConfigFragmentPath],
        ...['--mesh', 'mesh1'],
      ],
      { cwd: repoRoot },
    );
    expect(stdout).toContain(
      `removed intermediate of west (serial ${westIntermediate.serialNumber})`,
    );
    expect(stdout).toMatch(
      new RegExp(
        `removed intermediate +west +.*${westIntermediate.serialNumber}`,
      ),
    );
  });

  it('refuses to remove a member whose API server is stopped unless forced; forced, every other member is clean and the output lists what stays behind', async () => {
    const held = await readerToken('east');
    seenTokens.push(held);
    await stopApiServer('cluster3');
    try {
      const refused = await run('remove-cluster-from-mesh', {
        cluster: 'resource:default/cluster3',
        meshId: 'mesh1',
      });
      expect(refused.status).toBe('failed');
      expect(refused.log.join('\n')).toMatch(
        /cluster cluster3, step remove: cannot read its API server at https:\/\/127\.[\d.]+:\d+ \(.+\); it is a mesh member: east reads it through Secret istio-system\/istio-remote-secret-cluster3\. Fix: .*re-run with force/,
      );
      expect(await remoteSecrets('east')).toEqual([
        'istio-remote-secret-cluster3',
      ]);

      const forced = await run('remove-cluster-from-mesh', {
        cluster: 'resource:default/cluster3',
        meshId: 'mesh1',
        force: true,
        restartIstiodIfStale: true,
      });
      expectCompleted(forced);
      expect(await remoteSecrets('east')).toEqual([]);
      expect(await readerToken('east')).not.toBe(held);
      expect(await statusOnceRevoked('east', held)).toBe(401);
      const [leftBehind] = forced.output.text as { content: string }[];
      expect(leftBehind.content).toContain(
        'cluster cluster3: Secret istio-system/cacerts, not deleted and not recorded as removed',
      );
      expect(leftBehind.content).toContain(
        'cluster cluster3: ServiceAccount istio-system/istio-mesh-trust-probe',
      );

      // cluster3 is now a stopped cluster that no member points at: no join waits for it.
      const rejoin = await run('add-cluster-to-mesh', joinValues('east'));
      expectCompleted(rejoin);
      expect(rejoin.log.join('\n')).toMatch(
        /cluster cluster3: cannot read its API server at .*; no member's remote secret points at it, so it is not a mesh member and step pre-flight goes on without it/,
      );
    } finally {
      await restartApiServer('cluster3');
    }
  });

  it('keeps secrets out of task logs, outputs and the workspace', async () => {
    const tokens = [
      ...seenTokens,
      ...(await Promise.all(['east', 'cluster3'].map(readerToken))),
    ];
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(readFileSync(path, 'utf8'));
      }
    };
    walk(workspace);
    const haystack = [
      ...runs.flatMap(r => r.log),
      ...runs.map(r => JSON.stringify(r.output)),
      ...runs.map(r => JSON.stringify(r.events)),
      ...files,
    ].join('\n');
    expect(runs.length).toBeGreaterThan(8);
    expect(haystack).not.toMatch(/PRIVATE KEY/);
    expect(haystack).not.toMatch(
      /client-key-data|certificate-authority-data|token:/,
    );
    expect(haystack).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
    for (const token of tokens) expect(haystack).not.toContain(token);
  });

  it('kept every connection of the clusters and of this backend on loopback', () => {
    expect(offLoopbackConnections([...harnessPids(), process.pid])).toEqual([]);
  });
});
