import { V1Pod } from '@kubernetes/client-node';
import { proxyContainer, standinNode } from './standinNode';

const injected: V1Pod = {
  metadata: {
    name: 'curl-7d9f',
    namespace: 'mesh-probe',
    uid: 'u-1',
    labels: { app: 'curl', 'security.istio.io/tlsMode': 'istio' },
    annotations: {
      'sidecar.istio.io/status': '{"containers":["istio-proxy"]}',
    },
  },
  spec: {
    serviceAccountName: 'curl',
    nodeName: 'east-node-0',
    containers: [{ name: 'curl', image: 'curlimages/curl' }],
    initContainers: [
      {
        name: 'istio-proxy',
        image: 'istio/proxyv2:1.31.0-dev-eed52ebb66ad',
        args: [
          'proxy',
          'sidecar',
          '--domain',
          '$(POD_NAMESPACE).svc.cluster.local',
        ],
        env: [
          {
            name: 'POD_NAME',
            valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
          },
          {
            name: 'POD_NAMESPACE',
            valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
          },
          {
            name: 'INSTANCE_IP',
            valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
          },
          {
            name: 'SERVICE_ACCOUNT',
            valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } },
          },
          {
            name: 'HOST_IP',
            valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } },
          },
          {
            name: 'ISTIO_CPU_LIMIT',
            valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } },
          },
          {
            name: 'PROXY_CONFIG',
            value: '{"discoveryAddress":"istiod.istio-system.svc:15012"}',
          },
          { name: 'ISTIO_META_CLUSTER_ID', value: 'east' },
          { name: 'ISTIO_META_NETWORK', value: 'network-east' },
          { name: 'ISTIO_META_MESH_ID', value: 'mesh1' },
          { name: 'ISTIO_META_WORKLOAD_NAME', value: 'curl' },
        ],
      },
    ],
  },
  status: { podIP: '10.0.0.7', hostIP: '127.0.0.1' },
};

describe('standinNode', () => {
  it("maps the injected proxy's environment as pilot-agent does", () => {
    expect(standinNode(injected)).toEqual({
      type: 'sidecar',
      ip: '10.0.0.7',
      name: 'curl-7d9f',
      namespace: 'mesh-probe',
      serverName: 'istiod.istio-system.svc',
      metadata: {
        CLUSTER_ID: 'east',
        NETWORK: 'network-east',
        MESH_ID: 'mesh1',
        WORKLOAD_NAME: 'curl',
        NAME: 'curl-7d9f',
        NAMESPACE: 'mesh-probe',
        SERVICE_ACCOUNT: 'curl',
        INSTANCE_IPS: '10.0.0.7',
        PROXY_CONFIG: { discoveryAddress: 'istiod.istio-system.svc:15012' },
        LABELS: injected.metadata!.labels,
        ANNOTATIONS: injected.metadata!.annotations,
        ISTIO_VERSION: '1.31.0-dev-eed52ebb66ad',
      },
    });
  });

  it('takes the node type from the proxy args: a gateway is a router', () => {
    const gateway = structuredClone(injected);
    gateway.spec!.initContainers![0].args = ['proxy', 'router'];
    expect(standinNode(gateway)?.type).toBe('router');
  });

  it('leaves out pods the injector did not touch, and pods without an address yet', () => {
    const plain = structuredClone(injected);
    delete plain.metadata!.annotations;
    expect(proxyContainer(plain)).toBeUndefined();
    expect(standinNode(plain)).toBeUndefined();
    const pending = structuredClone(injected);
    delete pending.status;
    expect(standinNode(pending)).toBeUndefined();
  });
});
