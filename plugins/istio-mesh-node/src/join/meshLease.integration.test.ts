import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  V1MicroTime,
} from '@kubernetes/client-node';
import {
  CLUSTERS_TURN_TIMEOUT_MS,
  kubeConfigAt,
  kubeConfigFor,
  lockClusters,
  serviceAccountAccess,
  startStallingProxy,
} from '@istio-mesh/local-clusters';
import { randomBytes } from 'node:crypto';
import { guardRequests } from '../clusters/requestGuard';
import { LeaseLostError } from './lease';
import { JOIN_LEASE, withMeshLease } from './meshLease';

const LEASE_SECONDS = 3;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const quiet = { info: () => undefined, warn: () => undefined };

describe('the mesh membership Lease on a real API server', () => {
  const east = kubeConfigFor('east');
  const core = east.makeApiClient(CoreV1Api);
  const leases = east.makeApiClient(CoordinationV1Api);
  const namespace = `mesh-lease-${randomBytes(3).toString('hex')}`;
  let unlock: () => void;

  beforeAll(async () => {
    unlock = await lockClusters('mesh lease');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    unlock?.();
  });

  afterEach(async () => {
    await leases
      .deleteNamespacedLease({ name: JOIN_LEASE, namespace })
      .catch(() => undefined);
  });

  it('aborts a stalled holder before the next holder writes', async () => {
    const proxy = await startStallingProxy(east.getCurrentCluster()!.server);
    const order: { who: string; what: string; resourceVersion: number }[] = [];
    const record = (who: string, what: string, rv?: string) =>
      order.push({ who, what, resourceVersion: Number(rv) });
    const write = async (kc: KubeConfig, who: string, n: number) => {
      const body = {
        metadata: { name: `work-${who}-${n}` },
        data: { who, n: String(n) },
      };
      const made = await kc
        .makeApiClient(CoreV1Api)
        .createNamespacedConfigMap({ namespace, body });
      record(who, `write ${n}`, made.metadata?.resourceVersion);
    };
    let abortedAt: number | undefined;
    let firstHeld: () => void = () => undefined;
    const held = new Promise<void>(resolve => {
      firstHeld = resolve;
    });
    const stalledHolder = withMeshLease(
      {
        kc: kubeConfigAt(east, proxy.url),
        namespace,
        holder: 'task-stalled',
        waitSeconds: 10,
        leaseSeconds: LEASE_SECONDS,
        log: quiet,
      },
      async signal => {
        signal.addEventListener('abort', () => {
          abortedAt = performance.now();
        });
        const work = guardRequests(east, { timeoutMs: 5000, signal });
        const lease = await leases.readNamespacedLease({
          name: JOIN_LEASE,
          namespace,
        });
        record('task-stalled', 'acquired', lease.metadata?.resourceVersion);
        await write(work, 'task-stalled', 0);
        proxy.stall();
        firstHeld();
        for (let n = 1; ; n++) {
          signal.throwIfAborted();
          await write(work, 'task-stalled', n);
          await sleep(200);
        }
      },
    );
    stalledHolder.catch(() => undefined);
    await held;
    let acquiredAt: number | undefined;
    await withMeshLease(
      {
        kc: east,
        namespace,
        holder: 'task-next',
        waitSeconds: 20,
        leaseSeconds: LEASE_SECONDS,
        log: quiet,
      },
      async () => {
        acquiredAt = performance.now();
        const lease = await leases.readNamespacedLease({
          name: JOIN_LEASE,
          namespace,
        });
        record('task-next', 'acquired', lease.metadata?.resourceVersion);
        await write(east, 'task-next', 0);
      },
    );
    await expect(stalledHolder).rejects.toBeInstanceOf(LeaseLostError);
    await expect(stalledHolder).rejects.toThrow(/no renewal succeeded/);
    await proxy.close();

    // The story, in the API server's own order.
    const sorted = [...order].sort(
      (a, b) => a.resourceVersion - b.resourceVersion,
    );
    expect(sorted).toEqual(order);
    const lastStalled = order.filter(o => o.who === 'task-stalled').pop()!;
    const nextAcquired = order.find(
      o => o.who === 'task-next' && o.what === 'acquired',
    )!;
    expect(lastStalled.resourceVersion).toBeLessThan(
      nextAcquired.resourceVersion,
    );
    expect(order.filter(o => o.who === 'task-stalled').length).toBeGreaterThan(
      2,
    );
    expect(abortedAt).toBeLessThan(acquiredAt!);
  }, 60_000);

  it('stops a holder whose process did not run past the renew deadline before its next write, though that write leaves before any timer has run', async () => {
    const made = async (kc: KubeConfig, name: string) =>
      kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({
        namespace,
        body: { metadata: { name } },
      });
    const frozen = withMeshLease(
      {
        kc: east,
        namespace,
        holder: 'task-frozen',
        waitSeconds: 10,
        leaseSeconds: LEASE_SECONDS,
        log: quiet,
      },
      async signal => {
        const work = guardRequests(east, { timeoutMs: 5000, signal });
        await made(work, 'frozen-0');
        // As a frozen container or a long pause: no timer runs, no renewal is sent,
        // and the next write is the first thing the process does when it runs again.
        const until = performance.now() + LEASE_SECONDS * 1000;
        while (performance.now() < until) {
          // not running
        }
        await made(work, 'frozen-1');
      },
    );
    await expect(frozen).rejects.toBeInstanceOf(LeaseLostError);
    await expect(frozen).rejects.toThrow(/no renewal succeeded within 2s/);
    const names = (await core.listNamespacedConfigMap({ namespace })).items.map(
      c => c.metadata?.name,
    );
    expect(names).toContain('frozen-0');
    expect(names).not.toContain('frozen-1');
  });

  it('does not take a live Lease from a holder whose clock runs an hour behind', async () => {
    const anHourAgo = () => new V1MicroTime(Date.now() - 3600_000);
    const lease = await leases.createNamespacedLease({
      namespace,
      body: {
        metadata: { name: JOIN_LEASE },
        spec: {
          holderIdentity: 'replica-behind',
          leaseDurationSeconds: LEASE_SECONDS,
          acquireTime: anHourAgo(),
          renewTime: anHourAgo(),
        },
      },
    });
    let renewing = true;
    const skewedRenewals = (async () => {
      let current = lease;
      while (renewing) {
        await sleep(500);
        current = await leases.replaceNamespacedLease({
          name: JOIN_LEASE,
          namespace,
          body: {
            metadata: current.metadata,
            spec: { ...current.spec, renewTime: anHourAgo() },
          },
        });
      }
    })();
    const work = jest.fn();
    await expect(
      withMeshLease(
        {
          kc: east,
          namespace,
          holder: 'task-waiting',
          waitSeconds: LEASE_SECONDS * 2,
          leaseSeconds: LEASE_SECONDS,
          log: quiet,
        },
        work,
      ),
    ).rejects.toThrow(/still held by replica-behind/);
    expect(work).not.toHaveBeenCalled();
    renewing = false;
    await skewedRenewals;

    // Once it stops renewing, it is taken over after a lease duration unchanged.
    const warnings: string[] = [];
    await withMeshLease(
      {
        kc: east,
        namespace,
        holder: 'task-waiting',
        waitSeconds: LEASE_SECONDS * 4,
        leaseSeconds: LEASE_SECONDS,
        log: { info: () => undefined, warn: m => warnings.push(m) },
      },
      work,
    );
    expect(work).toHaveBeenCalledTimes(1);
    expect(warnings.join('\n')).toMatch(/took over .* from replica-behind/);
  }, 60_000);

  it('works with credentials that may read, but not create, namespaces', async () => {
    const limited = await serviceAccountAccess(
      'east',
      { name: 'lease-only', namespace },
      {
        rules: [
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'create', 'update', 'delete'],
          },
        ],
        clusterRules: [
          { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
        ],
      },
    );
    try {
      await expect(
        limited.kubeConfig
          .makeApiClient(CoreV1Api)
          .createNamespace({ body: { metadata: { name: `${namespace}-x` } } }),
      ).rejects.toMatchObject({ code: 403 });
      const work = jest.fn(async () => 'done');
      await expect(
        withMeshLease(
          {
            kc: limited.kubeConfig,
            namespace,
            holder: 'task-limited',
            waitSeconds: 5,
            leaseSeconds: LEASE_SECONDS,
            log: quiet,
          },
          work,
        ),
      ).resolves.toBe('done');
    } finally {
      await limited.revoke();
    }
  }, 60_000);
});
