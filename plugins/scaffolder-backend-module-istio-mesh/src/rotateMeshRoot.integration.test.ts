import { CoreV1Api } from '@kubernetes/client-node';
import {
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  localMeshConfig,
  lockClusters,
  resetIstio,
  restartApiServer,
  stopApiServer,
} from '@istio-mesh/local-clusters';
import {
  CacertsBundle,
  createIntermediateCa,
  createRootCa,
  FileRootCaSigner,
  meshEnvironmentFromConfig,
  meshTrustedRootsPem,
  readMeshStatus,
  refreshCredentials,
  validateCacerts,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { ConfigReader } from '@backstage/config';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  projectTemplates,
  startScaffolder,
  TaskRun,
} from './__testUtils__/scaffolderHarness';

const CLUSTERS = ['east', 'west', 'cluster3'];
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const cacertsFilesOf = (b: CacertsBundle) => ({
  'ca-cert.pem': b.caCert,
  'ca-key.pem': b.caKey,
  'root-cert.pem': b.rootCert,
  'cert-chain.pem': b.certChain,
});

function expectCompleted(run: TaskRun) {
  if (run.status !== 'completed') {
    throw new Error(`task ${run.status}:\n${run.log.join('\n')}`);
  }
}

/** The roots each member's istiod publishes, by SHA-256. */
async function publishedRoots(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of CLUSTERS) {
    const cm = await kubeConfigFor(c)
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({
        name: 'istio-ca-root-cert',
        namespace: 'istio-system',
      });
    out[c] = (cm.data?.['root-cert.pem'] ?? '')
      .split(/(?=-----BEGIN CERTIFICATE-----)/)
      .filter(p => p.includes('BEGIN'))
      .map(p => new X509Certificate(p).fingerprint256);
  }
  return out;
}

/** Each member's cacerts root-cert.pem. */
async function rootCertFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of CLUSTERS) {
    const secret = await kubeConfigFor(c)
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: 'cacerts', namespace: 'istio-system' });
    out[c] = secret.data!['root-cert.pem'];
  }
  return out;
}

/** The root that signed each member's intermediate, as its cacerts chain ends. */
async function chainRoots(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of CLUSTERS) {
    const secret = await kubeConfigFor(c)
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: 'cacerts', namespace: 'istio-system' });
    const chain = Buffer.from(
      secret.data!['cert-chain.pem'],
      'base64',
    ).toString('utf8');
    const blocks = chain.split(/(?=-----BEGIN CERTIFICATE-----)/);
    out[c] = new X509Certificate(blocks[blocks.length - 1]).fingerprint256;
  }
  return out;
}

describe('the Rotate mesh root template, on a three-cluster mesh', () => {
  const work = mkdtempSync(join(tmpdir(), 'rotate-root-'));
  const rootDir = join(work, 'root');
  const nextDir = join(work, 'next-root');
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let unlock: () => void;
  let oldRoot: string;
  let newRoot: () => string;

  const quiet = { info: () => undefined, warn: () => undefined };
  const environment = async () => {
    const env = meshEnvironmentFromConfig(
      new ConfigReader(localMeshConfig(rootDir)),
    );
    await refreshCredentials(env);
    return env;
  };
  /** The trust matrix of mesh1 as the status API reads it, in both directions. */
  const trustStates = async () => {
    const env = await environment();
    const status = await readMeshStatus(env.clusters, undefined);
    const mesh = status.meshes.find(m => m.meshId === 'mesh1')!;
    return [...new Set(mesh.trust.map(t => `${t.state}`))];
  };
  const rotate = (phase: string, extra: Record<string, unknown> = {}) =>
    scaffolder.run('rotate-mesh-root', { meshId: 'mesh1', phase, ...extra });

  beforeAll(async () => {
    unlock = await lockClusters('rotate root');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await Promise.all(CLUSTERS.map(resetIstio));
    const root = await createRootCa({ keySize: 2048 });
    await writeRootCaDir(rootDir, root);
    oldRoot = new X509Certificate(root.certPem).fingerprint256;
    newRoot = () =>
      new X509Certificate(readFileSync(join(nextDir, 'root-cert.pem')))
        .fingerprint256;
    mkdirSync(join(work, 'workspace'));
    scaffolder = await startScaffolder({
      istioMesh: {
        rootCa: { type: 'file', directory: rootDir },
        nextRootCa: { type: 'file', directory: nextDir },
      },
      workingDirectory: join(work, 'workspace'),
      templates: projectTemplates(),
    });
    expectCompleted(
      await scaffolder.run('create-mesh', {
        clusters: CLUSTERS.map(c => `resource:default/${c}`),
        meshId: 'mesh1',
      }),
    );
  }, 900_000);

  afterAll(async () => {
    await scaffolder?.stop();
    rmSync(work, { recursive: true, force: true });
    unlock?.();
  });

  it('refuses a phase out of order, naming the phase that must come first, and changes nothing', async () => {
    const before = await rootCertFiles();
    const r = await rotate('reissue');
    expect(r.status).toBe('failed');
    expect(r.log.join('\n')).toMatch(
      /mesh mesh1, step root rotation: cannot read the new root from root CA files in .*Fix: run phase trust-both first: it makes the new root/,
    );
    const dropped = await rotate('drop-old-root', {
      workloadsTurnedOver: true,
    });
    expect(dropped.status).toBe('failed');
    expect(await rootCertFiles()).toEqual(before);
  }, 300_000);

  it('trust-both: every istiod publishes the old and the new root, and the trust matrix stays green', async () => {
    const untouched = await rootCertFiles();
    const dry = await rotate('trust-both', { dryRun: true });
    expectCompleted(dry);
    expect(dry.log.join('\n')).toMatch(
      /would make the new root in root CA files in .*would: east: root-cert.pem becomes the old and the new root; the intermediate stays \(was old\)/s,
    );
    expect(await rootCertFiles()).toEqual(untouched);
    const r = await rotate('trust-both');
    expectCompleted(r);
    expect(r.log.join('\n')).toContain('made the new root in root CA files in');
    // The pinned istiod drops a changed root bundle without ISTIO_MULTIROOT_MESH.
    expect(r.log.join('\n')).toContain(
      'cluster east: restarting istiod, which takes a changed root bundle only at a restart without ISTIO_MULTIROOT_MESH=true',
    );
    for (const roots of Object.values(await publishedRoots())) {
      expect(roots.sort()).toEqual([oldRoot, newRoot()].sort());
    }
    expect(await trustStates()).toEqual(['trusted']);
    // The last phase is refused until the reissue has run.
    const early = await rotate('drop-old-root', { workloadsTurnedOver: true });
    expect(early.status).toBe('failed');
    expect(early.log.join('\n')).toMatch(
      /phase reissue must come first: east is at trusts-both, west is at trusts-both, cluster3 is at trusts-both/,
    );
  }, 600_000);

  it('reissue, cut off by a stopped API server after the first member, resumes on a re-run; then every intermediate is under the new root', async () => {
    const core3 = kubeConfigFor('cluster3').makeApiClient(CoreV1Api);
    const task = await scaffolder.start('rotate-mesh-root', {
      meshId: 'mesh1',
      phase: 'reissue',
    });
    // Stopped once east has its new intermediate: the phase is under way.
    for (let i = 0; i < 2400; i++) {
      if (
        (await chainRoots().catch(() => ({} as Record<string, string>)))
          .east === newRoot()
      ) {
        break;
      }
      await sleep(100);
    }
    await stopApiServer('cluster3');
    let cut: TaskRun;
    try {
      cut = await scaffolder.finish(task);
    } finally {
      await restartApiServer('cluster3');
    }
    expect(cut.status).toBe('failed');
    expect(cut.log.join('\n')).toMatch(
      /cluster east: cacerts written for phase reissue.*cluster cluster3, step/s,
    );
    await core3.readNamespace({ name: 'istio-system' });

    const resumed = await rotate('reissue');
    expectCompleted(resumed);
    expect(resumed.log.join('\n')).toMatch(/mesh mesh1: east is at reissued/);
    expect(await chainRoots()).toEqual({
      east: newRoot(),
      west: newRoot(),
      cluster3: newRoot(),
    });
    expect(await trustStates()).toEqual(['trusted']);
  }, 900_000);

  it('drop-old-root: needs workloadsTurnedOver, then every istiod publishes the new root only, and a cacerts from the old root is refused', async () => {
    const unconfirmed = await rotate('drop-old-root');
    expect(unconfirmed.status).toBe('failed');
    expect(unconfirmed.log.join('\n')).toMatch(
      /workloads may still hold certificates from the old intermediates.*workloadsTurnedOver/,
    );
    const r = await rotate('drop-old-root', { workloadsTurnedOver: true });
    expectCompleted(r);
    for (const roots of Object.values(await publishedRoots())) {
      expect(roots).toEqual([newRoot()]);
    }
    expect(await trustStates()).toEqual(['trusted']);
    // A re-run of the finished phase writes nothing and proves it again.
    const again = await rotate('drop-old-root', { workloadsTurnedOver: true });
    expectCompleted(again);
    expect(again.log.join('\n')).toContain('every member is at new');

    // Pre-flight, with istioMesh.rootCa still the old root, refuses to sign with it.
    const rejoin = await scaffolder.run('add-cluster-to-mesh', {
      cluster: 'resource:default/cluster3',
      meshId: 'mesh1',
      verifyTraffic: false,
    });
    expect(rejoin.status).toBe('failed');
    expect(rejoin.log.join('\n')).toMatch(
      /step pre-flight: the members trust another root than root CA files in .*Fix: after a root rotation, make istioMesh.rootCa the new root/,
    );

    // The validator, told the roots mesh1's istiods trust, refuses a cacerts from the old root.
    const env = await environment();
    const meshRoots = await meshTrustedRootsPem(env, 'mesh1', quiet);
    const fromOldRoot = await createIntermediateCa(
      new FileRootCaSigner(rootDir),
      {
        cluster: 'newcomer',
        keySize: 2048,
      },
    );
    expect(
      validateCacerts(cacertsFilesOf(fromOldRoot), {
        meshRootsPem: meshRoots,
      }).errors.map(e => `${e.file}: ${e.problem}`),
    ).toEqual([
      expect.stringMatching(
        /^root-cert.pem: holds ".*" \(sha256 .*\), but the mesh trusts ".*"/,
      ),
    ]);
  }, 600_000);
});
