import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';

/** A healthy member of mesh1 named `name`, on network-<name>; override what a test needs. */
export const member = (
  name: string,
  overrides: Partial<ClusterMembership> = {},
): ClusterMembership => ({
  cluster: name,
  reachable: true,
  meshId: 'mesh1',
  clusterName: name,
  network: `network-${name}`,
  namespaceNetwork: `network-${name}`,
  gateway: {
    address: `127.1.0.${name.length}`,
    network: `network-${name}`,
    ports: [],
  },
  remoteSecrets: [],
  rootFingerprint: 'a'.repeat(64),
  ...overrides,
});

/** Members that each hold an annotated remote secret for every other. */
export function linked(members: ClusterMembership[]): ClusterMembership[] {
  return members.map(m => ({
    ...m,
    remoteSecrets: members
      .filter(o => o !== m)
      .map(o => ({
        name: `istio-remote-secret-${o.clusterName}`,
        cluster: o.clusterName,
      })),
  }));
}

export const synced = (id: string) => ({ id, syncStatus: 'synced' });
