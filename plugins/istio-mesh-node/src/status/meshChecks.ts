import {
  ClusterMembership,
  MeshHealthCheck,
  MeshView,
  RemoteSecretLink,
} from '@istio-mesh/plugin-istio-mesh-common';
import { remoteSecretName } from '../mesh/names';

const nameOf = (m: ClusterMembership) => m.clusterName ?? m.cluster;

/** Every member to every other: istiod reads a peer only through a remote secret. */
export function remoteSecretLinks(
  members: ClusterMembership[],
): RemoteSecretLink[] {
  return members.flatMap(from =>
    members
      .filter(to => to !== from)
      .map(to => ({
        from: from.cluster,
        to: to.cluster,
        present: from.remoteSecrets.some(
          s => s.name === remoteSecretName(nameOf(to)),
        ),
      })),
  );
}

function check(
  id: MeshHealthCheck['id'],
  title: string,
  failing: string[],
  problem: string,
  ok: string,
  fix: string,
): MeshHealthCheck {
  return failing.length
    ? { id, title, state: 'fail', detail: problem, fix, clusters: failing }
    : { id, title, state: 'pass', detail: ok, clusters: [] };
}

/** The mesh-wide checks of one mesh's members (spec §8), each with a one-line fix. */
export function meshChecks(members: ClusterMembership[]): MeshHealthCheck[] {
  const checks: MeshHealthCheck[] = [];

  const roots = new Map<string, string[]>();
  const noRoot: string[] = [];
  for (const m of members) {
    if (!m.rootFingerprint) noRoot.push(m.cluster);
    else
      roots.set(m.rootFingerprint, [
        ...(roots.get(m.rootFingerprint) ?? []),
        m.cluster,
      ]);
  }
  if (noRoot.length && roots.size <= 1) {
    checks.push({
      id: 'same-root',
      title: 'Same root everywhere',
      state: 'unknown',
      detail: `no istio-ca-root-cert ConfigMap in istio-system of ${noRoot.join(
        ', ',
      )}`,
      fix: 'istiod publishes it once it runs with the plugged-in cacerts; check istiod',
      clusters: noRoot,
    });
  } else {
    const odd =
      roots.size > 1
        ? [...roots.values()]
            .sort((a, b) => a.length - b.length)
            .slice(0, -1)
            .flat()
        : [];
    checks.push(
      check(
        'same-root',
        'Same root everywhere',
        [...odd, ...noRoot],
        `${roots.size} different roots: ${[...roots.entries()]
          .map(([fp, cs]) => `${fp.slice(0, 12)} in ${cs.join(', ')}`)
          .join('; ')}`,
        `one root, sha256 ${[...roots.keys()][0]?.slice(0, 12) ?? ''}`,
        "rotate the odd clusters' cacerts to intermediates of the mesh root, then restart istiod and workloads",
      ),
    );
  }

  const meshIds = new Set(members.map(m => m.meshId));
  checks.push(
    check(
      'same-mesh-id',
      'Same meshID',
      meshIds.size > 1 ? members.map(m => m.cluster) : [],
      `meshIDs differ: ${members
        .map(m => `${m.cluster}=${m.meshId}`)
        .join(', ')}`,
      `meshID ${[...meshIds][0]}`,
      'reinstall istiod with the same global.meshID everywhere',
    ),
  );

  const byName = new Map<string, string[]>();
  for (const m of members) {
    byName.set(nameOf(m), [...(byName.get(nameOf(m)) ?? []), m.cluster]);
  }
  const clashing = [...byName.entries()]
    .filter(([name, cs]) => cs.length > 1 || name === 'Kubernetes')
    .flatMap(([, cs]) => cs);
  checks.push(
    check(
      'unique-cluster-names',
      'Unique cluster names',
      clashing,
      `clusterName clashes or is left at the default "Kubernetes": ${clashing.join(
        ', ',
      )}`,
      'every clusterName is unique',
      'set global.multiCluster.clusterName (camelCase) to a unique name and reinstall istiod',
    ),
  );

  const missing = remoteSecretLinks(members).filter(l => !l.present);
  checks.push(
    check(
      'remote-secret-graph',
      'Remote secrets between every pair',
      [...new Set(missing.map(l => l.from))],
      `missing: ${missing
        .map(l => `${l.from} has no remote secret for ${l.to}`)
        .join('; ')}`,
      `all ${members.length * (members.length - 1)} links present`,
      'run "Add cluster to mesh" again for one side: the exchange converges',
    ),
  );

  const noGateway = members
    .filter(m => !m.gateway?.address)
    .map(m => m.cluster);
  checks.push(
    check(
      'gateway-address',
      'East-west gateway address',
      noGateway,
      `no east-west gateway address in ${noGateway.join(', ')}`,
      'every cluster has one',
      'give istio-eastwestgateway a LoadBalancer address (or externalIPs); remote endpoints fall back to pod IPs without it',
    ),
  );

  const badNetwork = members
    .filter(
      m =>
        !m.namespaceNetwork ||
        m.namespaceNetwork !== m.network ||
        (m.gateway && m.gateway.network !== m.namespaceNetwork),
    )
    .map(m => m.cluster);
  checks.push(
    check(
      'network-label',
      'Network labels consistent',
      badNetwork,
      `istio-system label, istiod network and gateway network disagree or are missing in ${badNetwork.join(
        ', ',
      )}`,
      'istio-system, istiod and the gateway agree on each network',
      'label istio-system topology.istio.io/network=<network> and install the gateway with networkGateway=<network>',
    ),
  );
  checks.push(istiodReadsMembers(members));
  return checks;
}

/**
 * Istio's own verdict on the remote secrets: each istiod lists every other member in
 * /debug/clusterz as synced. Unknown where no istiod could be asked.
 */
function istiodReadsMembers(members: ClusterMembership[]): MeshHealthCheck {
  const id = 'istiod-reads-members';
  const title = 'istiod reads every member';
  const asked = members.filter(m => m.istiodView);
  if (asked.length === 0) {
    return {
      id,
      title,
      state: 'unknown',
      detail: 'no istiod debug address configured',
      fix: 'set istioMesh.clusters[].istiodDebugUrl to a port-forward of istiod 8080',
      clusters: [],
    };
  }
  const problems: string[] = [];
  const failing: string[] = [];
  for (const m of asked) {
    const view = m.istiodView!;
    const wrong = view.error
      ? [view.error]
      : members
          .filter(o => o !== m)
          .map(o => {
            const seen = view.clusters?.find(c => c.id === nameOf(o));
            if (!seen) return `${nameOf(o)} missing`;
            return seen.syncStatus === 'synced'
              ? undefined
              : `${nameOf(o)} ${seen.syncStatus}`;
          })
          .filter((p): p is string => !!p);
    if (wrong.length) {
      failing.push(m.cluster);
      problems.push(`${m.cluster}'s istiod: ${wrong.join(', ')}`);
    }
  }
  return check(
    id,
    title,
    failing,
    problems.join('; '),
    `${asked.length} istiod${
      asked.length > 1 ? 's' : ''
    } list every other member as synced`,
    "check the remote secret's server address and the reader token's RBAC; istiod's log names the failing cluster",
  );
}

/**
 * Clusters grouped into meshes by their remote secrets: clusters linked either way are
 * one mesh, whatever their meshIDs say, so a mismatched meshID shows as a failed check
 * instead of a second mesh. Clusters without istiod belong to none.
 */
export function meshViews(clusters: ClusterMembership[]): MeshView[] {
  const installed = clusters.filter(c => c.meshId);
  const group = new Map(installed.map(c => [c.cluster, c.cluster]));
  const find = (x: string): string =>
    group.get(x) === x ? x : find(group.get(x)!);
  for (const from of installed) {
    for (const to of installed) {
      const linked = from.remoteSecrets.some(
        s => s.name === remoteSecretName(nameOf(to)),
      );
      if (to !== from && linked)
        group.set(find(from.cluster), find(to.cluster));
    }
  }
  const components = new Map<string, ClusterMembership[]>();
  for (const c of installed) {
    const root = find(c.cluster);
    components.set(root, [...(components.get(root) ?? []), c]);
  }
  return [...components.values()]
    .map(members => {
      const counts = new Map<string, number>();
      for (const m of members)
        counts.set(m.meshId!, (counts.get(m.meshId!) ?? 0) + 1);
      const meshId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      return {
        meshId,
        members,
        checks: meshChecks(members),
        links: remoteSecretLinks(members),
      };
    })
    .sort((a, b) => a.meshId.localeCompare(b.meshId));
}
