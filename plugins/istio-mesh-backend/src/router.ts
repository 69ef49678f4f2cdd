import {
  CacheService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityWorkloadQuery,
  istioMeshReadPermission,
  MembershipResponse,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  entityEndpoints,
  MeshCluster,
  readMeshStatus,
  RemovedIntermediatesLocation,
} from '@istio-mesh/plugin-istio-mesh-node';
import express from 'express';
import Router from 'express-promise-router';

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
  /** How long answers are served from the cache; many viewers make one fan-out. */
  ttlSeconds: number;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { cache, httpAuth, permissions } = options;
  const ttl = options.ttlSeconds * 1000;
  const inFlight = new Map<string, Promise<unknown>>();

  /** From the cache, else computed once however many requests wait for it. */
  async function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = (await cache.get(key)) as T | undefined;
    if (hit !== undefined) return hit;
    let pending = inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = compute()
        .then(async value => {
          await cache.set(key, value as never, { ttl });
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  async function authorize(req: express.Request) {
    const [decision] = await permissions.authorize(
      [{ permission: istioMeshReadPermission }],
      { credentials: await httpAuth.credentials(req) },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `reading the mesh needs the ${istioMeshReadPermission.name} permission`,
      );
    }
  }

  async function clustersWithCredentials() {
    const clusters = options.clusters();
    await Promise.all(clusters.map(c => c.refreshCredentials()));
    return clusters;
  }

  const membership = () =>
    cached<MembershipResponse>('membership', async () => {
      const clusters = await clustersWithCredentials();
      return readMeshStatus(clusters, options.removedIntermediatesIn(clusters));
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
    await authorize(req);
    const query: EntityWorkloadQuery = {
      kubernetesId: req.query.kubernetesId as string | undefined,
      namespace: req.query.namespace as string | undefined,
      labelSelector: req.query.labelSelector as string | undefined,
    };
    if (!query.kubernetesId && !query.labelSelector) {
      throw new InputError(
        `give kubernetesId or labelSelector: the entity needs the ${KUBERNETES_ANNOTATION} or ${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION} annotation`,
      );
    }
    const key = `endpoints:${JSON.stringify(query)}`;
    res.json(
      await cached(key, async () => {
        const { clusters: memberships } = await membership();
        return entityEndpoints(
          await clustersWithCredentials(),
          memberships,
          query,
        );
      }),
    );
  });
  return router;
}
