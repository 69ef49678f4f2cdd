import { CacheService } from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MeshCluster,
  removedIntermediatesLocationFromConfig,
} from '@istio-mesh/plugin-istio-mesh-node';
import express from 'express';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { entityReadableIn } from '../entityReadable';
import { createRouter, RouterOptions } from '../router';
import { StatusLimits, statusLimitsFromConfig } from '../statusConfig';

/** A Component whose workloads the kubernetes plugin finds by these annotations. */
export function workloadEntity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/platform' },
  };
}

/** The reviews Component of the suites' bookinfo namespace. */
export const REVIEWS = workloadEntity('reviews', {
  'backstage.io/kubernetes-id': 'reviews',
  'backstage.io/kubernetes-namespace': 'bookinfo',
});

/** CacheService in a Map, honouring ttl, counting hits and writes. */
export function memoryCache(): CacheService & {
  hits: number;
  writes: number;
  size: () => number;
} {
  const store = new Map<string, { value: unknown; until: number }>();
  const cache = {
    hits: 0,
    writes: 0,
    size: () => store.size,
    async get(key: string) {
      const entry = store.get(key);
      if (!entry || entry.until < Date.now()) return undefined;
      cache.hits++;
      return entry.value;
    },
    async set(key: string, value: unknown, options?: { ttl?: number }) {
      cache.writes++;
      store.set(key, {
        value,
        until: Date.now() + ((options?.ttl as number | undefined) ?? 60_000),
      });
    },
    async delete(key: string) {
      store.delete(key);
    },
    withOptions() {
      return cache;
    },
  };
  return cache as unknown as ReturnType<typeof memoryCache>;
}

/**
 * The status routes on 127.0.0.1, with Backstage's error middleware, mock auth and the
 * given permission decision.
 */
export async function startStatusServer(options: {
  clusters: () => MeshCluster[];
  ttlSeconds: number;
  clusterTimeoutSeconds?: number;
  decision?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** What the catalog holds; the reviews Component by default. */
  entities?: Entity[];
  /** In place of the catalog check, where what the catalog holds is beside the point. */
  entityReadable?: RouterOptions['entityReadable'];
  limits?: Partial<StatusLimits>;
}): Promise<{
  url: string;
  cache: ReturnType<typeof memoryCache>;
  server: Server;
}> {
  const cache = memoryCache();
  const middleware = MiddlewareFactory.create({
    config: new ConfigReader({}),
    logger: mockServices.rootLogger({ level: 'none' }),
  });
  const app = express();
  app.use(
    '/api/istio-mesh',
    await createRouter({
      clusters: options.clusters,
      // As the plugin does with no istioMesh.lease configured.
      removedIntermediatesIn: clusters =>
        removedIntermediatesLocationFromConfig(new ConfigReader({}), clusters),
      cache,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions({
        result: options.decision ?? AuthorizeResult.ALLOW,
      }),
      ttlSeconds: options.ttlSeconds,
      clusterTimeoutSeconds: options.clusterTimeoutSeconds ?? 15,
      limits: {
        ...statusLimitsFromConfig(new ConfigReader({})),
        ...options.limits,
      },
      entityReadable:
        options.entityReadable ??
        entityReadableIn(
          catalogServiceMock({ entities: options.entities ?? [REVIEWS] }),
        ),
    }),
  );
  app.use(middleware.error());
  const server = createServer(app);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/istio-mesh`, cache, server };
}
