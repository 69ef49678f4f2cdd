import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { istioMeshAdminPermission } from '@istio-mesh/plugin-istio-mesh-common';
import {
  binaries,
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigFor,
  lockClusters,
} from '@istio-mesh/local-clusters';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshot } from './__testUtils__/meshFacts';
import {
  startScaffolder,
  startScaffolderIn,
} from './__testUtils__/scaffolderHarness';

const bins = binaries();
const contexts = ['east', 'west', 'cluster3'];

/**
 * The namespaces a mesh action could create or change; suites that take no turn (the
 * clusters' own) make namespaces of their own meanwhile.
 */
const MESH_NAMESPACES = ['istio-system', 'istio-mesh', 'mesh-probe'];

/** What the actions could have applied: istio-system, helm and the mesh namespaces. */
async function meshFacts(context: string) {
  const all = await snapshot(bins, kubeConfigFor(context), context);
  return Object.fromEntries(
    Object.entries(all).filter(
      ([key]) =>
        !key.startsWith('Namespace/') ||
        MESH_NAMESPACES.includes(key.slice('Namespace/'.length)),
    ),
  );
}

/** One action, one bad input, and what the error must say. */
interface BadInput {
  action: string;
  input: Record<string, unknown>;
  error: RegExp;
  /** Only where the check needs the live cluster and a real run. */
  taskOnly?: true;
}

const east = { cluster: 'east', meshId: 'mesh1', network: 'network-east' };

const CASES: BadInput[] = [
  {
    action: 'istio:mesh:preflight',
    input: { ...east, istioVersion: '../../x' },
    error:
      /input istioVersion: Istio version "..\/..\/x" is not a chart version/,
  },
  {
    action: 'istio:mesh:helm',
    input: { ...east, istioVersion: '../../../tmp/evil' },
    error: /input istioVersion: .* is not a chart version/,
  },
  {
    action: 'istio:mesh:helm',
    input: { ...east, istioVersion: '>=1.24.0 <2' },
    error: /input istioVersion: .* is not a chart version/,
  },
  {
    action: 'istio:mesh:helm',
    input: { ...east, meshId: 'mesh"1' },
    error: /input meshId: mesh ID "mesh\\"1" is not a valid label value/,
  },
  {
    action: 'istio:mesh:cacerts',
    input: { cluster: 'east', network: 'network\neast' },
    error:
      /input network: network name "network\\neast" is not a valid label value/,
  },
  {
    action: 'istio:mesh:cacerts',
    input: { cluster: ['east'], network: 'network-east' },
    error: /cluster.*(must be a string|is not of a type)/,
  },
  {
    action: 'istio:mesh:cross-network-gateway',
    input: { cluster: "east'; x" },
    error: /input cluster: cluster "east'; x" is not a DNS-1123 label/,
  },
  {
    action: 'istio:mesh:remote-secrets',
    input: { cluster: 'east', clusterName: 'East', meshId: 'mesh1' },
    error: /input clusterName: cluster name "East" is not a DNS-1123 label/,
  },
  {
    action: 'istio:mesh:remote-secrets',
    input: {
      cluster: 'east',
      clusterName: 'not-istiods-name',
      meshId: 'mesh1',
    },
    error:
      /cluster east, step remote secrets: (its istiod is installed with clusterName|istiod is not installed)/,
    taskOnly: true,
  },
  {
    action: 'istio:mesh:remove',
    input: { cluster: 'east', meshId: ['mesh1'] },
    error: /meshId.*(must be a string|is not of a type)/,
  },
  {
    action: 'istio:mesh:rotate-cacerts',
    input: { cluster: 'East' },
    error: /input cluster: cluster "East" is not a DNS-1123 label/,
  },
  {
    action: 'istio:mesh:verify',
    input: { meshId: 'mesh 1' },
    error: /input meshId: mesh ID "mesh 1" is not a valid label value/,
  },
  {
    action: 'istio:mesh:verify-traffic',
    input: { meshId: 'mesh1', namespace: '../kube-system' },
    error:
      /input namespace: namespace "..\/kube-system" is not a DNS-1123 label/,
  },
  {
    action: 'istio:mesh:verify-traffic',
    input: { meshId: 'mesh1', namespace: 'istio-system' },
    error:
      /nothing was changed: input namespace: istio-system holds the mesh's own components/,
  },
  {
    action: 'istio:mesh:verify-traffic',
    input: { meshId: 'mesh1', namespace: 'kube-system' },
    error:
      /nothing was changed: input namespace: kube-system is a namespace Kubernetes keeps/,
  },
  {
    action: 'istio:mesh:verify-traffic',
    input: { meshId: 'mesh1', curlImage: 'curl"\nsh' },
    error: /input curlImage: image "curl\\"\\nsh" is not an image reference/,
  },
  {
    action: 'istio:cacerts:validate',
    input: { path: '../../etc' },
    error: /outside its parent/,
  },
  {
    action: 'istio:mesh:create',
    input: { clusters: ['east', '../west'], meshId: 'mesh1' },
    error: /input clusters\[1\]: cluster "..\/west" is not a DNS-1123 label/,
  },
  {
    action: 'istio:mesh:create',
    input: {
      clusters: ['east', 'resource:default/west'],
      meshId: 'mesh1',
      concurrency: 1000,
    },
    error: /input concurrency must be a whole number from 1 to 16, not 1000/,
  },
  {
    action: 'istio:mesh:create',
    input: { clusters: ['east', 'north'], meshId: 'mesh1' },
    error: /input cluster: "north" is not configured for the mesh/,
  },
  {
    action: 'istio:mesh:preflight',
    input: { ...east, cluster: 'north' },
    error: /input cluster: "north" is not configured for the mesh/,
  },
];

function templateFor(name: string, c: BadInput) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default', title: name },
    spec: {
      type: 'service',
      parameters: [],
      steps: [{ id: 'bad', name: c.action, action: c.action, input: c.input }],
    },
  };
}

describe('every mesh action refuses bad input, through dry run and task', () => {
  const work = mkdtempSync(join(tmpdir(), 'bad-input-'));
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let unlock: () => void;
  let before: Record<string, Record<string, string | undefined>>;

  beforeAll(async () => {
    unlock = await lockClusters('bad input');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    scaffolder = await startScaffolderIn(
      work,
      CASES.map((c, i) => templateFor(`bad-input-${i}`, c)) as never,
    );
    before = Object.fromEntries(
      await Promise.all(contexts.map(async c => [c, await meshFacts(c)])),
    );
  }, 120_000);

  afterAll(async () => {
    await scaffolder?.stop();
    rmSync(work, { recursive: true, force: true });
    unlock?.();
  });

  const api = () => `${scaffolder.backend.baseUrl}/api/scaffolder`;
  const headers = {
    'content-type': 'application/json',
    authorization: mockCredentials.user.header(),
  };

  it.each(
    CASES.map((c, i) => [i, c.action, c] as const).filter(
      ([, , c]) => !c.taskOnly,
    ),
  )('dry run %i: %s', async (i, _action, c) => {
    const res = await fetch(`${api()}/v2/dry-run`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        template: templateFor(`bad-input-${i}`, c),
        values: {},
        directoryContents: [],
      }),
    });
    const body = await res.json();
    // The step's error is the dry run's error: an InputError is a 400.
    expect(res.status).toBeGreaterThanOrEqual(400);
    const said = body.error.message;
    expect(said).toMatch(c.error);
  });

  it.each(CASES.map((c, i) => [i, c.action, c] as const))(
    'task %i: %s',
    async (i, _action, c) => {
      const run = await scaffolder.run(`bad-input-${i}`, {});
      expect(run.status).toBe('failed');
      expect(run.log.join('\n')).toMatch(c.error);
    },
  );

  it('applied nothing: every resourceVersion is unchanged', async () => {
    for (const c of contexts) {
      expect(await meshFacts(c)).toEqual(before[c]);
    }
  });
});

/**
 * Every action that changes the mesh, with input good enough to run: what a user
 * without istio-mesh.admin must not get to run, dry runs included.
 */
const CHANGING: { action: string; input: Record<string, unknown> }[] = [
  { action: 'istio:mesh:preflight', input: east },
  {
    action: 'istio:mesh:cacerts',
    input: { cluster: 'east', network: 'network-east' },
  },
  { action: 'istio:mesh:helm', input: east },
  { action: 'istio:mesh:install', input: east },
  { action: 'istio:mesh:cross-network-gateway', input: { cluster: 'east' } },
  { action: 'istio:mesh:remote-secrets', input: east },
  { action: 'istio:mesh:rotate-cacerts', input: { cluster: 'east' } },
  {
    action: 'istio:mesh:rotate-root',
    input: { meshId: 'mesh1', phase: 'trust-both' },
  },
  { action: 'istio:mesh:remove', input: { cluster: 'east', meshId: 'mesh1' } },
  { action: 'istio:mesh:verify-traffic', input: { meshId: 'mesh1' } },
  {
    action: 'istio:mesh:create',
    input: { clusters: ['east', 'west'], meshId: 'mesh1' },
  },
];

describe('a user without istio-mesh.admin gets 403 from every changing action, dry run included, and changes nothing', () => {
  const work = mkdtempSync(join(tmpdir(), 'no-admin-'));
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let unlock: () => void;
  let before: Record<string, Record<string, string | undefined>>;

  beforeAll(async () => {
    unlock = await lockClusters('no admin');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    // The scaffolder's own permissions allowed, so the answer is the action's own.
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            'permission' in r &&
            r.permission.name === istioMeshAdminPermission.name
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      // The scaffolder asks which template parameters and steps the user may read.
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    });
    scaffolder = await startScaffolderIn(
      work,
      CHANGING.map((c, i) =>
        templateFor(`no-admin-${i}`, { ...c, error: /./ }),
      ) as never,
      permissions.factory,
    );
    before = Object.fromEntries(
      await Promise.all(contexts.map(async c => [c, await meshFacts(c)])),
    );
  }, 120_000);

  afterAll(async () => {
    await scaffolder?.stop();
    rmSync(work, { recursive: true, force: true });
    unlock?.();
  });

  it.each(CHANGING.map((c, i) => [i, c.action] as const))(
    'dry run %i: %s',
    async i => {
      const r = await scaffolder.dryRun(`no-admin-${i}`, {});
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body).error.message).toBe(
        'changing the mesh needs the istio-mesh.admin permission',
      );
    },
  );

  it.each(CHANGING.map((c, i) => [i, c.action] as const))(
    'task %i: %s',
    async i => {
      const run = await scaffolder.run(`no-admin-${i}`, {});
      expect(run.status).toBe('failed');
      expect(run.log.join('\n')).toContain(
        'changing the mesh needs the istio-mesh.admin permission',
      );
    },
  );

  it('applied nothing: every resourceVersion is unchanged', async () => {
    for (const c of contexts) {
      expect(await meshFacts(c)).toEqual(before[c]);
    }
  });
});
