import { ServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  appConfigFragmentPath,
  startLoopbackBackend,
} from '@istio-mesh/local-clusters';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { parse } from 'yaml';
import {
  createRootCa,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { istioMeshScaffolderModule } from '../module';

// A test helper inside the repository: the templates live at its root.
// eslint-disable-next-line no-restricted-syntax
const templatesDir = resolve(__dirname, '../../../../templates');

/** The project's templates, as the catalog would serve them. */
export function projectTemplates(): Entity[] {
  return readdirSync(templatesDir).map(dir => {
    const entity = parse(
      readFileSync(join(templatesDir, dir, 'template.yaml'), 'utf8'),
    ) as Entity;
    entity.metadata.namespace = 'default';
    return entity;
  });
}

export interface TaskEvent {
  id: number;
  type: string;
  /** When this harness received it, in ms: the store keeps whole seconds only. */
  receivedAt: number;
  body: {
    message?: string;
    status?: string;
    output?: unknown;
    stepId?: string;
  };
}

export interface TaskRun {
  id: string;
  status: string;
  events: TaskEvent[];
  log: string[];
  output: Record<string, unknown>;
}

/**
 * A Backstage backend with the scaffolder and our actions, listening on 127.0.0.1,
 * configured with the local clusters' app-config fragment plus the given overrides.
 * Tasks run through its HTTP API, as the portal runs them.
 */
export async function startScaffolder(options: {
  istioMesh: Record<string, unknown>;
  workingDirectory: string;
  templates?: Entity[];
  /** More clusters, as the kubernetes plugin and istioMesh.clusters list them. */
  extraClusters?: { kubernetes: object; mesh: object }[];
  /** Settings added to the local clusters' istioMesh.clusters entries, by name. */
  clusterSettings?: Record<string, object>;
  /** The permission service; everything is allowed without it. */
  permissions?: ServiceFactory;
}) {
  const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
  const extra = options.extraClusters ?? [];
  const templates = options.templates ?? projectTemplates();
  const backend = await startLoopbackBackend(
    [
      catalogServiceMock.factory({ entities: templates }),
      scaffolderPlugin,
      istioMeshScaffolderModule,
    ],
    {
      backend: { workingDirectory: options.workingDirectory },
      kubernetes: {
        ...fragment.kubernetes,
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              ...fragment.kubernetes.clusterLocatorMethods[0].clusters,
              ...extra.map(c => c.kubernetes),
            ],
          },
        ],
      },
      istioMesh: {
        ...fragment.istioMesh,
        ...options.istioMesh,
        clusters: [
          ...fragment.istioMesh.clusters.map((c: { name: string }) => ({
            ...c,
            ...options.clusterSettings?.[c.name],
          })),
          ...extra.map(c => c.mesh),
        ],
      },
    },
    options.permissions,
  );
  const baseUrl = backend.baseUrl;
  const api = `${baseUrl}/api/scaffolder`;
  const headers = {
    'content-type': 'application/json',
    authorization: mockCredentials.user.header(),
  };

  /** Long-polls the task's events until its completion event, stamping each on arrival. */
  async function follow(id: string): Promise<TaskEvent[]> {
    const events: TaskEvent[] = [];
    for (;;) {
      const after = events.length
        ? `?after=${events[events.length - 1].id}`
        : '';
      const res = await fetch(`${api}/v2/tasks/${id}/events${after}`, {
        headers,
      });
      const batch = (await res.json()) as Omit<TaskEvent, 'receivedAt'>[];
      const receivedAt = Date.now();
      events.push(...batch.map(e => ({ ...e, receivedAt })));
      if (batch.some(e => e.type === 'completion')) return events;
    }
  }

  /** Starts a task from a template; returns its id. */
  async function start(
    template: string,
    values: Record<string, unknown>,
  ): Promise<string> {
    const created = await fetch(`${api}/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: `template:default/${template}`,
        values,
      }),
    });
    if (created.status !== 201) {
      throw new Error(
        `scaffolder refused the task: ${
          created.status
        } ${await created.text()}`,
      );
    }
    return ((await created.json()) as { id: string }).id;
  }

  /** Waits for a started task to end. */
  async function finish(id: string): Promise<TaskRun> {
    const events = await follow(id);
    let task: { status: string };
    do {
      task = (await (
        await fetch(`${api}/v2/tasks/${id}`, { headers })
      ).json()) as { status: string };
    } while (!['completed', 'failed', 'cancelled'].includes(task.status));
    const completion = events.find(e => e.type === 'completion');
    return {
      id,
      status: task.status,
      events,
      log: events.filter(e => e.type === 'log').map(e => e.body.message ?? ''),
      output: (completion?.body.output ?? {}) as Record<string, unknown>,
    };
  }

  /** Starts a task from a template and waits for it to end. */
  async function run(
    template: string,
    values: Record<string, unknown>,
  ): Promise<TaskRun> {
    return finish(await start(template, values));
  }

  /**
   * The scaffolder's dry-run API, as the template editor calls it: every step runs
   * with isDryRun set, and the answer carries the log. Its status and body as sent.
   */
  async function dryRun(
    template: string,
    values: Record<string, unknown>,
    as: string = headers.authorization,
  ): Promise<{ status: number; log: string[]; body: string }> {
    const res = await fetch(`${api}/v2/dry-run`, {
      method: 'POST',
      headers: { ...headers, authorization: as },
      body: JSON.stringify({
        template: templates.find(t => t.metadata.name === template),
        values,
        secrets: {},
        directoryContents: [],
      }),
    });
    const body = await res.text();
    const parsed = res.ok
      ? (JSON.parse(body) as { log: { body: { message?: string } }[] })
      : { log: [] };
    return {
      status: res.status,
      log: parsed.log.map(l => l.body.message ?? ''),
      body,
    };
  }

  /** Cancels a running task, as the portal's Cancel button does. */
  async function cancel(id: string): Promise<void> {
    const res = await fetch(`${api}/v2/tasks/${id}/cancel`, {
      method: 'POST',
      headers,
    });
    if (!res.ok) throw new Error(`cancel refused: ${res.status}`);
  }

  return {
    backend,
    run,
    start,
    finish,
    dryRun,
    cancel,
    stop: () => backend.stop(),
  };
}

/**
 * startScaffolder with a fresh mesh root in files under `work`, and its workspace
 * there too: for suites that need any root, not one they check.
 */
export async function startScaffolderIn(
  work: string,
  templates: Entity[],
  permissions?: ServiceFactory,
) {
  mkdirSync(join(work, 'workspace'));
  await writeRootCaDir(
    join(work, 'root'),
    await createRootCa({ keySize: 2048 }),
  );
  return startScaffolder({
    istioMesh: { rootCa: { type: 'file', directory: join(work, 'root') } },
    workingDirectory: join(work, 'workspace'),
    templates,
    permissions,
  });
}
