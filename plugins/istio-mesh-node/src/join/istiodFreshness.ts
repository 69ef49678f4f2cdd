import {
  IstiodEndpointShards,
  IstiodNetworkGateway,
  IstiodRemoteCluster,
  withIstiodDebug,
} from '../istiod/debugEndpoints';
import { restartIstiod } from '../istiod/restart';
import { MeshEnvironment } from '../environment/meshEnvironment';
import { MeshStepError } from '../mesh/errors';
import { StepLog } from '../progress/stepLog';
import { MeshMember, readMembers } from './members';

/** What one istiod holds, as its /debug endpoints say; or why it did not answer. */
export interface IstiodState {
  clusterName: string;
  clusters?: IstiodRemoteCluster[];
  gateways?: IstiodNetworkGateway[];
  shards?: IstiodEndpointShards;
  error?: string;
}

/** The clusters that have at least one endpoint in some shard of this istiod. */
function shardClusters(shards: IstiodEndpointShards): Set<string> {
  const found = new Set<string>();
  for (const byNamespace of Object.values(shards)) {
    for (const { Shards } of Object.values(byNamespace)) {
      for (const [shard, endpoints] of Object.entries(Shards ?? {})) {
        if (endpoints?.length) found.add(shard.replace(/^[^/]*\//, ''));
      }
    }
  }
  return found;
}

/**
 * What is stale in one istiod, judged against every member's istiod: each other member
 * listed as synced; endpoints of each member whose own istiod holds some; the gateway
 * of each member whose own istiod knows it; and no gateway of a cluster that is no
 * longer a member. Istio has had bugs in each (docs/istio-procedure.md §10).
 *
 * Between members, only what the change could have made stale counts: the istiods of
 * the changed clusters, and every istiod's view of them. A pair of other members is not
 * this change's to judge: another join may link it right after this one lets go of the
 * mesh Lease. A route through a cluster that is no member is wrong whatever changed.
 */
export function staleFindings(
  self: IstiodState,
  all: IstiodState[],
  changed: ReadonlySet<string>,
): string[] {
  if (self.error) return [self.error];
  const judged = (clusterName: string) =>
    changed.has(self.clusterName) || changed.has(clusterName);
  const others = all.filter(s => s !== self && judged(s.clusterName));
  const names = new Set(all.map(s => s.clusterName));
  const findings: string[] = [];
  const ownShards = shardClusters(self.shards ?? {});
  for (const other of others) {
    const seen = self.clusters?.find(c => c.id === other.clusterName);
    if (seen?.syncStatus !== 'synced') {
      findings.push(
        `${other.clusterName} is ${
          seen?.syncStatus ?? 'missing'
        } in /debug/clusterz`,
      );
    }
    if (
      shardClusters(other.shards ?? {}).has(other.clusterName) &&
      !ownShards.has(other.clusterName)
    ) {
      findings.push(
        `no endpoints of ${other.clusterName} in /debug/endpointShardz, though ${other.clusterName}'s own istiod holds some`,
      );
    }
    const ownGateway = other.gateways?.some(
      g => g.Cluster === other.clusterName,
    );
    if (
      ownGateway &&
      !self.gateways?.some(g => g.Cluster === other.clusterName)
    ) {
      findings.push(
        `no gateway of ${other.clusterName} in /debug/networkz, though ${other.clusterName}'s own istiod has one`,
      );
    }
  }
  for (const g of self.gateways ?? []) {
    if (g.Cluster && !names.has(g.Cluster)) {
      findings.push(
        `still routes network ${g.Network} through ${g.Cluster}'s gateway ${g.Addr}:${g.Port}, though ${g.Cluster} is not a member`,
      );
    }
  }
  return findings;
}

async function readIstiodState(member: MeshMember): Promise<IstiodState> {
  try {
    return await withIstiodDebug(member.cluster, async read => {
      const [clusters, gateways, shards] = await Promise.all([
        read<IstiodRemoteCluster[]>('/debug/clusterz'),
        read<IstiodNetworkGateway[]>('/debug/networkz'),
        read<IstiodEndpointShards>('/debug/endpointShardz'),
      ]);
      return { clusterName: member.clusterName, clusters, gateways, shards };
    });
  } catch (e) {
    return { clusterName: member.clusterName, error: (e as Error).message };
  }
}

type Stale = { member: MeshMember; findings: string[] };

/**
 * Whether everything stale in one istiod is a route through the gateway of `left`, a
 * cluster the change removed. istiod keeps a removed cluster's gateway in its network
 * view until a remote secret changes; with other members left, the removal's token
 * rotation rewrites theirs and istiod lets go; with one member left nothing is
 * rewritten, and only a restart clears what the removal itself caused.
 */
export function onlyRoutesThroughLeft(
  findings: string[],
  left: string,
): boolean {
  return (
    findings.length > 0 &&
    findings.every(
      f =>
        f.startsWith('still routes network ') &&
        f.includes(` through ${left}'s gateway `),
    )
  );
}

/**
 * A stale istiod is waited for while a member is still being synced; other findings
 * that stay the same this long are taken as settled.
 */
const STEADY_SECONDS = 15;

const syncing = (stale: Stale[]) =>
  stale.some(s => s.findings.some(f => f.endsWith('in /debug/clusterz')));

/**
 * Polls every member's istiod until none is stale, or `seconds` run out, or the
 * findings have not changed for STEADY_SECONDS without a member being synced.
 */
async function pollStale(
  members: MeshMember[],
  changed: ReadonlySet<string>,
  seconds: number,
) {
  const deadline = Date.now() + seconds * 1000;
  let last = '';
  let steadySince = Date.now();
  for (;;) {
    const states = await Promise.all(members.map(readIstiodState));
    const stale = members
      .map((member, i) => ({
        member,
        findings: staleFindings(states[i], states, changed),
      }))
      .filter(s => s.findings.length);
    const now = Date.now();
    const signature = JSON.stringify(stale.map(s => s.findings));
    if (signature !== last) {
      last = signature;
      steadySince = now;
    }
    if (
      stale.length === 0 ||
      now >= deadline ||
      (!syncing(stale) && now - steadySince >= STEADY_SECONDS * 1000)
    ) {
      return stale;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * istiod takes a few seconds to read a new remote secret, and up to 30 s to give up on
 * a cluster it cannot sync (PILOT_REMOTE_CLUSTER_TIMEOUT); a cluster back from an
 * outage is read again within that.
 */
const SETTLE_SECONDS = 45;
const RESTART_SECONDS = 120;

/**
 * The check after every change to remote secrets, cacerts or membership: every
 * remaining member's istiod still lists every member as synced and holds their
 * endpoints and gateways, and none routes to a cluster that left. A stale istiod fails
 * the step, naming it and the fix (restart it); with `restartIstiodIfStale` the step
 * restarts the stale istiods itself and checks again.
 *
 * @public
 */
export async function ensureIstiodsFresh(run: {
  env: MeshEnvironment;
  meshId: string;
  /** The clusterNames of the clusters whose links or CA the change touched. */
  changed: string[];
  /**
   * The clusterName of the cluster the change removed: an istiod still routing through
   * its gateway and stale in nothing else is restarted, as the removal left it so.
   */
  left?: string;
  restartIstiodIfStale: boolean;
  /** The step that made the change, for its errors. */
  step: string;
  log: StepLog;
}): Promise<void> {
  const { env, meshId, restartIstiodIfStale, step, log } = run;
  const changed = new Set(run.changed);
  const members = (
    await readMembers(env.clusters, { step, log })
  ).members.filter(m => m.meshId === meshId && !m.joining);
  // A cluster still joining has no remote secrets yet: its own exchange checks it.
  if (members.length === 0) return;
  let stale = await pollStale(members, changed, SETTLE_SECONDS);
  const causedByRemoval = (s: Stale) =>
    !!run.left && onlyRoutesThroughLeft(s.findings, run.left);
  const toRestart = restartIstiodIfStale
    ? stale
    : stale.filter(causedByRemoval);
  if (toRestart.length) {
    for (const s of toRestart) {
      log.warn(
        `cluster ${
          s.member.cluster.name
        }: istiod is stale after this change (${s.findings.join('; ')}); ${
          causedByRemoval(s)
            ? `restarting it: the removal of ${run.left} left it so, and no remote secret is left to rewrite that would make it let go`
            : 'restarting it, as restartIstiodIfStale asks'
        }`,
      );
    }
    const restarted = await Promise.all(
      toRestart.map(s => restartIstiod(s.member.cluster, RESTART_SECONDS)),
    );
    const stuck = toRestart.filter((_, i) => !restarted[i]);
    if (stuck.length) {
      throw new MeshStepError(
        stuck.map(s => s.member.cluster.name).join(', '),
        step,
        `istiod's rollout restart did not finish within ${RESTART_SECONDS} s`,
        'look at the istiod pods: kubectl get pods -n istio-system -l app=istiod',
      );
    }
    stale = await pollStale(members, changed, SETTLE_SECONDS);
  }
  if (stale.length) {
    const names = stale.map(s => s.member.cluster.name);
    throw new MeshStepError(
      names.join(', '),
      step,
      `istiod is stale after this change: ${stale
        .map(s => `${s.member.cluster.name}'s istiod: ${s.findings.join('; ')}`)
        .join('. ')}`,
      `restart istiod there (kubectl rollout restart deployment/istiod -n istio-system), or re-run with restartIstiodIfStale set`,
    );
  }
  log.info(
    `every istiod of mesh ${meshId} (${members
      .map(m => m.cluster.name)
      .join(
        ', ',
      )}) lists every member as synced and holds their endpoints and gateways`,
  );
}
