import { CoreV1Api } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { MeshEnvironment } from '../mesh/environment';
import { describeKubeError } from '../mesh/errors';
import {
  CACERTS_SECRET,
  EASTWEST_GATEWAY,
  ISTIO_SYSTEM,
  MULTICLUSTER_LABEL,
  NETWORK_LABEL,
  remoteSecretName,
} from '../mesh/names';
import { istiodChecks } from './istiodChecks';
import { MeshMember, readMembers } from './members';

export type CheckState = 'pass' | 'fail' | 'skipped';

export interface MeshCheck {
  check: string;
  cluster: string;
  state: CheckState;
  detail: string;
  fix?: string;
}

interface MemberFacts {
  member: MeshMember;
  remoteSecrets?: Map<string, string[]>;
  rootFingerprint?: string;
  gateway?: { address?: string; network?: string };
  error?: string;
}

async function readFacts(member: MeshMember): Promise<MemberFacts> {
  const core = member.cluster.kubeConfig().makeApiClient(CoreV1Api);
  try {
    const [secrets, cacerts, gateway] = await Promise.all([
      core.listNamespacedSecret({
        namespace: ISTIO_SYSTEM,
        labelSelector: `${MULTICLUSTER_LABEL}=true`,
      }),
      core.readNamespacedSecret({
        name: CACERTS_SECRET,
        namespace: ISTIO_SYSTEM,
      }),
      core
        .readNamespacedService({
          name: EASTWEST_GATEWAY,
          namespace: ISTIO_SYSTEM,
        })
        .catch(() => undefined),
    ]);
    const rootPem = Buffer.from(
      cacerts.data?.['root-cert.pem'] ?? '',
      'base64',
    ).toString('utf8');
    const ingress = gateway?.status?.loadBalancer?.ingress?.[0];
    return {
      member,
      // Only the data keys: the kubeconfigs inside are credentials.
      remoteSecrets: new Map(
        secrets.items.map(s => [s.metadata!.name!, Object.keys(s.data ?? {})]),
      ),
      rootFingerprint: rootPem
        ? createHash('sha256').update(rootPem.trim()).digest('hex')
        : undefined,
      gateway: gateway && {
        address: ingress?.ip ?? ingress?.hostname,
        network: gateway.metadata?.labels?.[NETWORK_LABEL],
      },
    };
  } catch (e) {
    return { member, error: describeKubeError(e) };
  }
}

function gatewayProblemOf(f: MemberFacts): string | undefined {
  if (!f.gateway) return `no Service ${ISTIO_SYSTEM}/${EASTWEST_GATEWAY}`;
  if (!f.gateway.address) {
    return 'the east-west gateway has no LoadBalancer address';
  }
  if (f.gateway.network !== f.member.network) {
    return `the east-west gateway is labelled network "${f.gateway.network}", istiod "${f.member.network}"`;
  }
  return undefined;
}

/**
 * Checks the mesh as Istio needs it after a join: a remote secret for every other
 * member in every member, one root, and a gateway address on every network; then asks
 * istiod itself where its debug address is configured. Reads
 * remote secrets' names and data keys, never their kubeconfigs.
 */
export async function verifyMesh(
  env: MeshEnvironment,
  meshId: string,
): Promise<MeshCheck[]> {
  const members = (await readMembers(env.clusters, 'verify')).filter(
    m => m.meshId === meshId,
  );
  const facts = await Promise.all(members.map(readFacts));
  const checks: MeshCheck[] = [];
  for (const f of facts) {
    const cluster = f.member.cluster.name;
    if (f.error) {
      checks.push({
        check: 'reachable',
        cluster,
        state: 'fail',
        detail: `cannot read istio-system: ${f.error}`,
        fix: 'bring the API server back or fix its istioMesh credentials',
      });
      continue;
    }
    const missing = members
      .filter(o => o !== f.member)
      .filter(
        o =>
          !f.remoteSecrets
            ?.get(remoteSecretName(o.clusterName))
            ?.includes(o.clusterName),
      )
      .map(o => o.clusterName);
    checks.push({
      check: 'remote secrets',
      cluster,
      state: missing.length ? 'fail' : 'pass',
      detail: missing.length
        ? `no remote secret for ${missing.join(', ')}`
        : `remote secrets for all ${members.length - 1} other members`,
      fix: missing.length
        ? 'run the join again for this cluster: the exchange converges'
        : undefined,
    });
    const gatewayProblem = gatewayProblemOf(f);
    checks.push({
      check: 'gateway address',
      cluster,
      state: gatewayProblem ? 'fail' : 'pass',
      detail:
        gatewayProblem ??
        `network ${f.member.network} through ${f.gateway!.address}:15443`,
      fix: gatewayProblem
        ? 'give the cluster LoadBalancer support and re-run the helm step'
        : undefined,
    });
  }
  const roots = new Set(facts.map(f => f.rootFingerprint).filter(Boolean));
  checks.push({
    check: 'same root',
    cluster: '*',
    state: roots.size === 1 ? 'pass' : 'fail',
    detail:
      roots.size === 1
        ? `all ${facts.length} members trust root sha256:${[...roots][0]!.slice(
            0,
            16,
          )}`
        : `members hold ${roots.size} different roots in cacerts`,
    fix:
      roots.size === 1
        ? undefined
        : "rotate the odd members' CA from the mesh root",
  });
  checks.push(
    ...(await istiodChecks(
      members,
      new Map(facts.map(f => [f.member, f.gateway?.address])),
    )),
  );
  return checks;
}
