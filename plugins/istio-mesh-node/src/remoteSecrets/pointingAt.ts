import { CoreV1Api } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { MeshCluster } from '../clusters/meshCluster';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import {
  CLUSTER_ANNOTATION,
  ISTIO_SYSTEM,
  MULTICLUSTER_LABEL,
} from '../mesh/names';

/** A remote secret through which `holder`'s istiod reads a cluster's API server. */
export interface RemoteSecretPointer {
  holder: MeshCluster;
  secret: string;
  /** The clusterName the remote secret gives that cluster: istiod's key for it. */
  clusterName?: string;
}

const sameServer = (a: string, b: string) =>
  a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The API server addresses in a remote secret's kubeconfigs; nothing else is kept. */
function serversIn(data: Record<string, string>): string[] {
  return Object.values(data).flatMap(encoded => {
    try {
      const kubeconfig = parse(Buffer.from(encoded, 'base64').toString('utf8'));
      return (
        (kubeconfig?.clusters ?? []) as { cluster?: { server?: string } }[]
      )
        .map(c => c.cluster?.server)
        .filter((s): s is string => !!s);
    } catch {
      return [];
    }
  });
}

/**
 * For each target, the remote secrets in `holders` that point at its API server,
 * matched by the server address, since a cluster that cannot be read cannot say its own
 * clusterName. This is how a cluster that cannot be read is judged a member: some
 * member's istiod reads it. Each holder's remote secrets are listed once, whatever the
 * number of targets; only the server addresses are taken from their kubeconfigs, and
 * the tokens are dropped with the response.
 */
export async function remoteSecretsPointingAt(
  targets: MeshCluster[],
  holders: MeshCluster[],
  step: string,
): Promise<Map<MeshCluster, RemoteSecretPointer[]>> {
  const held = await Promise.all(
    holders.map(async holder => {
      const secrets = await holder
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .listNamespacedSecret({
          namespace: ISTIO_SYSTEM,
          labelSelector: `${MULTICLUSTER_LABEL}=true`,
        })
        .catch(e => {
          throw new MeshStepError(
            holder.name,
            step,
            `cannot list its remote secrets to tell whether ${targets
              .map(t => t.name)
              .join(', ')} ${
              targets.length > 1 ? 'are mesh members' : 'is a mesh member'
            } (${describeKubeError(e)})`,
            'give the istioMesh credentials the right to list Secrets in istio-system, then re-run',
          );
        });
      return secrets.items.map(s => ({
        holder,
        secret: s.metadata!.name!,
        clusterName: s.metadata?.annotations?.[CLUSTER_ANNOTATION],
        servers: serversIn(s.data ?? {}),
      }));
    }),
  );
  return new Map(
    targets.map(target => [
      target,
      held
        .flat()
        .filter(h =>
          h.servers.some(
            server =>
              sameServer(server, target.peerServer) ||
              sameServer(server, target.server),
          ),
        )
        .map(({ holder, secret, clusterName }) => ({
          holder,
          secret,
          clusterName,
        })),
    ]),
  );
}
