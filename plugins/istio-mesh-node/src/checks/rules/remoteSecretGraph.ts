import {
  ClusterMembership,
  RemoteSecretLink,
} from '@istio-mesh/plugin-istio-mesh-common';
import { remoteSecretName } from '../../mesh/names';
import { clusterNameOf, MeshRule, verdict } from '../rule';

/**
 * Whether `from` holds a remote secret for `to`: one annotated with `to`'s clusterName
 * (istioctl's networking.istio.io/cluster), or, for secrets written without it, one
 * named as istioctl names it.
 */
export function holdsRemoteSecretFor(
  from: ClusterMembership,
  to: ClusterMembership,
): boolean {
  const name = clusterNameOf(to);
  return from.remoteSecrets.some(
    s =>
      s.cluster === name || (!s.cluster && s.name === remoteSecretName(name)),
  );
}

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
        present: holdsRemoteSecretFor(from, to),
      })),
  );
}

export const remoteSecretGraph: MeshRule = {
  id: 'remote-secret-graph',
  title: 'Remote secrets between every pair',
  asksIstiod: false,
  judge(members) {
    const missing = remoteSecretLinks(members).filter(l => !l.present);
    return verdict([...new Set(missing.map(l => l.from))], {
      problem: `missing: ${missing
        .map(l => `${l.from} has no remote secret for ${l.to}`)
        .join('; ')}`,
      ok: `all ${members.length * (members.length - 1)} links present`,
      fix: 'run "Add cluster to mesh" again for one side: the exchange converges',
    });
  },
};
