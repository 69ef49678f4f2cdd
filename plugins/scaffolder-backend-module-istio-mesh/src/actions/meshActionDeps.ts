import {
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { istioMeshAdminPermission } from '@istio-mesh/plugin-istio-mesh-common';
import {
  chartValuesProblems,
  clusterOfRef,
  MeshEnvironment,
  meshInputProblems,
  meshEnvironmentFromConfig,
  refreshCredentials,
  StepLog,
  stoppedBy,
} from '@istio-mesh/plugin-istio-mesh-node';

/** What every mesh action needs from the backend. */
export interface MeshActionDeps {
  config: RootConfigService;
  permissions: PermissionsService;
  /** The kubernetes backend's strategies for EKS, AKS and GKE sign-in. */
  cloudStrategies?: Record<string, AuthenticationStrategy>;
  /** Where a cluster's Resource names its network; without it, network-<cluster>. */
  catalog?: CatalogService;
  /** Tests swap the environment; the backend reads it from app-config. */
  environment?: () => MeshEnvironment;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = ActionContext<any, any>;

/** Tells apart the backend replicas that may run one task, one after another. */
const REPLICA = `${hostname()} pid ${process.pid}`;

/**
 * Who holds the mesh's Leases for this attempt at a step: the replica, the task and a
 * fresh id. A task that task recovery starts over on another replica is a new holder,
 * so it waits until the original's Lease has expired rather than holding it beside a
 * still-running original; the original stops before its next write once it sees that.
 */
export function attemptHolder(taskId: string): string {
  return `scaffolder task ${taskId} on ${REPLICA} attempt ${randomUUID().slice(
    0,
    8,
  )}`;
}

/**
 * The environment for one run, the task log as a step log, the effective dry-run flag
 * (the scaffolder's own dry run, or the template's switch) and this attempt's Lease
 * holder. Actions that change the mesh first check the mesh-admin permission of whoever
 * started the task, dry runs included: a dry run reads what a run reads (cacerts, reader
 * tokens' metadata, every member's state), so it is authorized as the run it previews.
 */
export async function meshRun(
  deps: MeshActionDeps,
  ctx: AnyContext,
  options: {
    /** Whether the action needs istio-mesh.admin: every one that changes the mesh. */
    meshAdmin: boolean;
  },
) {
  const dryRun = !!ctx.isDryRun || !!ctx.input.dryRun;
  const problems = meshInputProblems(ctx.input ?? {});
  if (problems.length > 0) throw badInput(problems);
  if (options.meshAdmin) {
    const [decision] = await deps.permissions.authorize(
      [{ permission: istioMeshAdminPermission }],
      { credentials: await ctx.getInitiatorCredentials() },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `changing the mesh needs the ${istioMeshAdminPermission.name} permission`,
      );
    }
  }
  // A cancelled task stops its Kubernetes requests and kills its helm.
  const env = stoppedBy(
    deps.environment
      ? deps.environment()
      : meshEnvironmentFromConfig(deps.config, deps.cloudStrategies),
    ctx.signal,
  );
  const named: string[] = ctx.input.cluster
    ? [ctx.input.cluster]
    : (ctx.input.clusters ?? []).map(clusterOfRef);
  const unknown = named.filter(n => !env.clusters.some(c => c.name === n));
  if (unknown.length > 0) {
    throw badInput(
      unknown.map(
        n =>
          `input cluster: "${n}" is not configured for the mesh; add it to istioMesh.clusters in app-config (known: ${
            env.clusters.map(c => c.name).join(', ') || 'none'
          })`,
      ),
    );
  }
  const valueProblems = env.clusters
    .filter(c => named.includes(c.name))
    .flatMap(c => chartValuesProblems(c.name, c.chartValues));
  if (valueProblems.length > 0) throw badInput(valueProblems);
  await refreshCredentials(env);
  const log: StepLog = {
    info: m => ctx.logger.info(m),
    warn: m => ctx.logger.warn(m),
  };
  return { env, log, dryRun, holder: attemptHolder(ctx.task.id) };
}

/**
 * Runs an action's work with its environment, then logs how long it took: the task log
 * is where platform engineers (and bench/join.ts) see where time goes.
 */
export async function withMeshRun(
  deps: MeshActionDeps,
  ctx: AnyContext,
  options: { meshAdmin: boolean },
  work: (run: Awaited<ReturnType<typeof meshRun>>) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  await work(await meshRun(deps, ctx, options));
  ctx.logger.info(`step done in ${Date.now() - started} ms`);
}

function badInput(problems: string[]): InputError {
  return new InputError(`nothing was changed: ${problems.join('; ')}`);
}
