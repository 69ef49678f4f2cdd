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
      port: 9080,
      ready: 2,
      total: 2,
      mtls: 2,
      routes: [
        { fromNetwork: 'network-east', via: 'direct', endpoints: 2 },
        { fromNetwork: 'network-west', via: '127.1.0.2:15443', endpoints: 2 },
      ],
      problems: [],
    },
    {
      cluster: 'west',
      namespace: 'bookinfo',
      service: 'reviews',
      network: 'network-west',
      port: 9080,
      ready: 1,
      total: 1,
      mtls: 0,
      routes: [
        {
          fromNetwork: 'network-east',
          via: 'left out: not injected',
          endpoints: 0,
          leftOut: {
            count: 1,
            reason:
              "1 of 1 ready endpoint(s) have no sidecar, so no mTLS for the gateway's SNI routing: istiod sends them to no other network",
            fix: 'label the namespace for injection (istio-injection=enabled or istio.io/rev) and restart the workload',
          },
        },
        { fromNetwork: 'network-west', via: 'direct', endpoints: 1 },
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
  routesTold: [
    {
      cluster: 'east',
      namespace: 'bookinfo',
      service: 'reviews',
      port: 9080,
      proxy: 'reviews-v1-7d9f.bookinfo',
      state: 'agrees',
      detail:
        'every route as expected, as istiod tells reviews-v1-7d9f.bookinfo',
      routes: [
        {
          cluster: 'east',
          clusterName: 'east',
          network: 'network-east',
          via: 'direct',
          addresses: ['10.100.0.3:9080', '10.100.0.4:9080'],
          endpoints: 2,
          expected: 2,
          ok: true,
        },
        {
          cluster: 'west',
          clusterName: 'west',
          network: 'network-west',
          via: 'none',
          addresses: [],
          endpoints: 0,
          expected: 0,
          ok: true,
          leftOut: {
            count: 1,
            reason:
              "1 of 1 endpoint(s) in west have no sidecar, so no mTLS for the gateway's SNI routing: istiod sends them to no other network",
            fix: 'label the namespace in west for injection (istio-injection=enabled or istio.io/rev) and restart the workload',
          },
        },
      ],
    },
    {
      cluster: 'west',
      namespace: 'bookinfo',
      service: 'reviews',
      port: 9080,
      proxy: 'reviews-v2-5c4b.bookinfo',
      state: 'disagrees',
      detail:
        '1 route(s) not as expected, as istiod tells reviews-v2-5c4b.bookinfo',
      routes: [
        {
          cluster: 'east',
          clusterName: 'east',
          network: 'network-east',
          via: 'direct',
          addresses: ['10.100.0.3:9080', '10.100.0.4:9080'],
          endpoints: 2,
          expected: 2,
          ok: false,
          problem:
            "told east's pod addresses directly, across networks: istiod knows no gateway for network-east",
          fix: "label the east-west gateway Service in east with topology.istio.io/network=network-east and check it has an address (the join's gateway step does both)",
        },
        {
          cluster: 'west',
          clusterName: 'west',
          network: 'network-west',
          via: 'direct',
          addresses: ['10.101.0.3:9080'],
          endpoints: 1,
          expected: 1,
          ok: true,
        },
      ],
    },
  ],
  unreachable: [{ cluster: 'ghost', error: 'ECONNREFUSED' }],
};
