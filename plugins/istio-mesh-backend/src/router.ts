import {
  BackstageCredentials,
  CacheService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityWorkloadQuery,
  istioMeshReadPermission,
  MembershipResponse,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  entityEndpoints,
  entityQueryProblems,
  MeshCluster,
  readMeshStatus,
  RemovedIntermediatesLocation,
} from '@istio-mesh/plugin-istio-mesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { BoundedKeys } from './boundedKeys';
import { describeWorkloadQuery } from './entityReadable';
import { StatusLimits } from './statusConfig';

export interface RouterOptions {
  clusters: () => MeshCluster[];
  /**
   * Where removals record intermediates, for the certificate calendar: one of
   * `clusters`, whose credentials are fresh.
   */
  removedIntermediatesIn: (
    clusters: MeshCluster[],
  ) => RemovedIntermediatesLocation | undefined;
  cache: CacheService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /**
   * How long answers are served from the cache; many viewers make one fan-out. 0 turns
   * the cache off: requests made while an answer is being read still share it.
   */
  ttlSeconds: number;
  /** How long one cluster may take; a slower one is reported down. */
  clusterTimeoutSeconds: number;
  limits: StatusLimits;
  /** Whether the caller may read an entity whose annotations make this query. */
  entityReadable: (
    query: EntityWorkloadQuery,
    credentials: BackstageCredentials,
  ) => Promise<boolean>;
}

/** How long a client refused for load waits before asking again. */
const RETRY_AFTER_SECONDS = 2;

const QUERY_PARAMS = ['kubernetesId', 'namespace', 'labelSelector'] as const;

/**
 * The endpoints query, type-checked: each parameter at most once and a string, known
 * names only, and each part what Kubernetes takes (entityQueryProblems).
 */
function endpointsQuery(query: express.Request['query']): EntityWorkloadQuery {
  const problems: string[] = [];
  const unknown = Object.keys(query).filter(
    k => !(QUERY_PARAMS as readonly string[]).includes(k),
  );
  if (unknown.length) {
    problems.push(
      `unknown query parameter(s) ${unknown.join(
        ', ',
      )}; give ${QUERY_PARAMS.join(', ')}`,
    );
  }
  const parsed: EntityWorkloadQuery = {};
  for (const key of QUERY_PARAMS) {
    const value = query[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      problems.push(`${key} must be given once, as a string`);
      continue;
    }
    parsed[key] = value;
  }
  if (!problems.length) problems.push(...entityQueryProblems(parsed));
  if (problems.length) throw new InputError(problems.join('; '));
  return parsed;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { cache, httpAuth, permissions, limits } = options;
  const ttl = options.ttlSeconds * 1000;
  const inFlight = new Map<string, Promise<unknown>>();
  const cachedAnswers = new BoundedKeys(limits.maxCachedAnswers);
  let fanOuts = 0;

  /** Remembers an endpoints answer's key, deleting the cache entries pushed out. */
  async function keep(key: string) {
    await Promise.all(cachedAnswers.remember(key).map(k => cache.delete(k)));
  }

  /** From the cache, else computed once however many requests wait for it. */
  async function cached<T>(
    key: string,
    compute: () => Promise<T>,
    onStore?: () => Promise<void>,
  ): Promise<T> {
    // A cache store takes a ttl of 0 as "no expiry": with caching off, it is not asked.
    const hit = ttl > 0 ? ((await cache.get(key)) as T | undefined) : undefined;
    if (hit !== undefined) return hit;
    let pending = inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = compute()
        .then(async value => {
          if (ttl > 0) {
            await cache.set(key, value as never, { ttl });
            await onStore?.();
          }
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  async function authorize(req: express.Request) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: istioMeshReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `reading the mesh needs the ${istioMeshReadPermission.name} permission`,
      );
    }
    return credentials;
  }

  async function clustersWithCredentials() {
    const clusters = options.clusters();
    await Promise.all(clusters.map(c => c.refreshCredentials()));
    return clusters;
  }

  // The last answer: a member that goes down keeps the clusterName it had.
  let previous: MembershipResponse | undefined;
  const membership = () =>
    cached<MembershipResponse>('membership', async () => {
      const clusters = await clustersWithCredentials();
      previous = await readMeshStatus(
        clusters,
        options.removedIntermediatesIn(clusters),
        {
          clusterTimeoutSeconds: options.clusterTimeoutSeconds,
          previous: previous?.clusters,
        },
      );
      return previous;
    });

  const router = Router();
  router.use(express.json());
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/membership', async (req, res) => {
    await authorize(req);
    res.json(await membership());
  });

  router.get('/endpoints', async (req, res) => {
    const credentials = await authorize(req);
    const query = endpointsQuery(req.query);
    if (!(await options.entityReadable(query, credentials))) {
      throw new NotFoundError(
        `no entity you may read has ${describeWorkloadQuery(query)}`,
      );
    }
    const key = `endpoints:${JSON.stringify(query)}`;
    const hit = ttl > 0 && (await cache.get(key)) !== undefined;
    // Each distinct query reads every pod and EndpointSlice of its namespace in every
    // cluster: only so many at once, however many queries arrive. The slot is taken
    // here, with no await between the count and the taking.
    const fanOut = !hit && !inFlight.has(key);
    if (fanOut && fanOuts >= limits.maxConcurrentReads) {
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(429).json({
        error: {
          name: 'TooManyRequests',
          message: `${fanOuts} endpoints reads are under way, the most istioMesh.status.maxConcurrentReads allows; ask again in ${RETRY_AFTER_SECONDS} s`,
        },
      });
      return;
    }
    if (fanOut) fanOuts++;
    try {
      res.json(
        await cached(
          key,
          async () => {
            const { clusters: memberships } = await membership();
            return entityEndpoints(
              await clustersWithCredentials(),
              memberships,
              query,
              { clusterTimeoutSeconds: options.clusterTimeoutSeconds },
            );
          },
          () => keep(key),
        ),
      );
    } finally {
      if (fanOut) fanOuts--;
    }
  });
  return router;
}
