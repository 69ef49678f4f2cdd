import {
  ClusterMembership,
  EntityEndpointsResponse,
  MembershipResponse,
} from '@istio-mesh/plugin-istio-mesh-common';
import { meshViewOf } from './meshView';

export const east: ClusterMembership = {
  cluster: 'east',
  reachable: true,
  meshId: 'mesh1',
  clusterName: 'east',
  network: 'network-east',
  namespaceNetwork: 'network-east',
  istiod: { version: '1.30.2', replicas: 1, readyReplicas: 1 },
  gateway: {
    address: '127.1.0.2',
    network: 'network-east',
    ports: [{ port: 15443 }],
  },
  remoteSecrets: [{ name: 'istio-remote-secret-west', cluster: 'west' }],
  rootFingerprint: 'a4fe9f520f8c1a17aaaa',
  istiodView: {
    pod: { name: 'istiod-6b9f-east1', revision: 'default' },
    clusters: [
      { id: 'east', secretName: '', syncStatus: 'synced' },
      {
        id: 'west',
        secretName: 'istio-system/istio-remote-secret-west',
        syncStatus: 'synced',
      },
    ],
  },
};

export const west: ClusterMembership = {
  ...east,
  cluster: 'west',
  clusterName: 'west',
  network: 'network-west',
  namespaceNetwork: 'network-west',
  gateway: {
    address: '127.2.0.2',
    network: 'network-west',
    ports: [{ port: 15443 }],
  },
  remoteSecrets: [],
};

/** east → west present, west → east missing: one broken link and a red check. */
export const membership: MembershipResponse = {
  meshes: [meshViewOf('mesh1', [east, west])],
  clusters: [
    east,
    west,
    {
      cluster: 'ghost',
      reachable: false,
      error: 'ECONNREFUSED',
      remoteSecrets: [],
    },
  ],
};

export const endpoints: EntityEndpointsResponse = {
  endpoints: [
    {
      cluster: 'east',
      namespace: 'bookinfo',
      service: 'reviews',
      network: 'network-east',
      ready: 2,
      total: 2,
      routes: [
        { fromNetwork: 'network-east', via: 'direct' },
        { fromNetwork: 'network-west', via: '127.1.0.2:15443' },
      ],
      problems: [],
    },
    {
      cluster: 'west',
      namespace: 'bookinfo',
      service: 'reviews',
      network: 'network-west',
      ready: 0,
      total: 1,
      routes: [
        { fromNetwork: 'network-east', via: '127.2.0.2:15443' },
        { fromNetwork: 'network-west', via: 'direct' },
      ],
      problems: [],
    },
  ],
  istiodCrossChecks: [
    {
      cluster: 'east',
      namespace: 'bookinfo',
      service: 'reviews',
      state: 'agrees',
      istiod: { 'Kubernetes/east': 2, 'Kubernetes/west': 1 },
      ours: { 'Kubernetes/east': 2, 'Kubernetes/west': 1 },
      detail: 'istiod holds the same 3 endpoints in 2 shards',
    },
    {
      cluster: 'west',
      namespace: 'bookinfo',
      service: 'reviews',
      state: 'disagrees',
      istiod: { 'Kubernetes/west': 1 },
      ours: { 'Kubernetes/east': 2, 'Kubernetes/west': 1 },
      detail: 'Kubernetes/east: istiod 0, ours 2',
    },
  ],
  unreachable: [{ cluster: 'ghost', error: 'ECONNREFUSED' }],
};
