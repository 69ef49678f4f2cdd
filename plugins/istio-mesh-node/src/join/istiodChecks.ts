import {
  IstiodNetworkGateway,
  IstiodRemoteCluster,
  readIstiodDebug,
} from '../istiod/debugEndpoints';
import type { MeshCheck } from './verify';
import { MeshMember } from './members';
import { waitFor } from './waitFor';

/**
 * istiod gives up on a remote cluster it cannot sync after 30 s
 * (PILOT_REMOTE_CLUSTER_TIMEOUT); a little more covers picking up the new secret.
 */
const ISTIOD_SYNC_SECONDS = 35;

/**
 * Istio's own verdict on a join, from each member istiod's debug endpoints: every other
 * member listed as synced in /debug/clusterz, and every other network's gateway, at the
 * address its Service has, in /debug/networkz. Members without an istiodDebugUrl are
 * skipped, and the check says so.
 */
export async function istiodChecks(
  members: MeshMember[],
  gatewayAddresses: Map<MeshMember, string | undefined>,
): Promise<MeshCheck[]> {
  const asked = members.filter(m => m.cluster.istiodDebugUrl);
  if (asked.length === 0) {
    return [
      {
        check: 'istiod clusterz',
        cluster: '*',
        state: 'skipped',
        detail: 'no member has istioMesh.clusters[].istiodDebugUrl',
        fix: "set it to a port-forward of each istiod's port 8080 to let istiod confirm the mesh",
      },
    ];
  }
  const checks = await Promise.all(
    asked.map(async member => {
      const others = members.filter(o => o !== member);
      let clusterz: IstiodRemoteCluster[] = [];
      let error = '';
      const synced = await waitFor(ISTIOD_SYNC_SECONDS, async () => {
        try {
          clusterz = await readIstiodDebug(member.cluster, '/debug/clusterz');
          error = '';
        } catch (e) {
          error = (e as Error).message;
          return false;
        }
        return others.every(
          o =>
            clusterz.find(c => c.id === o.clusterName)?.syncStatus === 'synced',
        );
      });
      const notSynced = others
        .map(o => ({
          name: o.clusterName,
          status: clusterz.find(c => c.id === o.clusterName)?.syncStatus,
        }))
        .filter(o => o.status !== 'synced')
        .map(o => `${o.name} ${o.status ?? 'missing'}`);
      const clusterzCheck: MeshCheck = {
        check: 'istiod clusterz',
        cluster: member.cluster.name,
        state: synced ? 'pass' : 'fail',
        detail: clusterzDetail(others, synced, error, notSynced),
        fix: clusterzFix(synced, error),
      };
      return [
        clusterzCheck,
        await networkzCheck(member, others, gatewayAddresses),
      ];
    }),
  );
  return checks.flat();
}

function clusterzDetail(
  others: MeshMember[],
  synced: boolean,
  error: string,
  notSynced: string[],
): string {
  if (!synced) {
    return error || `after ${ISTIOD_SYNC_SECONDS}s: ${notSynced.join(', ')}`;
  }
  if (others.length === 0) return 'istiod answers; no other member yet';
  return `istiod lists ${others.map(o => o.clusterName).join(', ')} as synced`;
}

function clusterzFix(synced: boolean, error: string): string | undefined {
  if (synced) return undefined;
  if (error) return 'check istiodDebugUrl and that istiod runs';
  return "istiod's log names why: usually the remote secret's server address or the reader token";
}

async function networkzCheck(
  member: MeshMember,
  others: MeshMember[],
  gatewayAddresses: Map<MeshMember, string | undefined>,
): Promise<MeshCheck> {
  let gateways: IstiodNetworkGateway[];
  try {
    gateways = await readIstiodDebug(member.cluster, '/debug/networkz');
  } catch (e) {
    return {
      check: 'istiod networkz',
      cluster: member.cluster.name,
      state: 'fail',
      detail: (e as Error).message,
      fix: 'check istiodDebugUrl and that istiod runs',
    };
  }
  const missing = others
    .filter(o => o.network !== member.network)
    .filter(
      o =>
        !gateways.some(
          g => g.Network === o.network && g.Addr === gatewayAddresses.get(o),
        ),
    )
    .map(o => `${o.network} at ${gatewayAddresses.get(o) ?? 'no address'}`);
  return {
    check: 'istiod networkz',
    cluster: member.cluster.name,
    state: missing.length ? 'fail' : 'pass',
    detail: missing.length
      ? `istiod has no gateway for ${missing.join(', ')}`
      : `istiod routes to ${gateways.length} network gateways`,
    fix: missing.length
      ? 'label the gateway Service with topology.istio.io/network and give it a LoadBalancer address'
      : undefined,
  };
}
