import { V1Deployment } from '@kubernetes/client-node';
import { istiodLaunch } from './launch';

/** The parts of the istiod chart's Deployment that a local launch reads. */
const deployment: V1Deployment = {
  metadata: { name: 'istiod', namespace: 'istio-system' },
  spec: {
    selector: {},
    template: {
      spec: {
        serviceAccountName: 'istiod',
        containers: [
          {
            name: 'discovery',
            args: [
              'discovery',
              '--monitoringAddr=:15014',
              '--domain',
              'cluster.local',
              '--httpAddr',
              ':8080',
            ],
            env: [
              { name: 'REVISION', value: 'default' },
              { name: 'CLUSTER_ID', value: 'east' },
              { name: 'KUBECONFIG', value: '/var/run/secrets/remote/config' },
              {
                name: 'POD_NAMESPACE',
                valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
              },
              {
                name: 'SERVICE_ACCOUNT',
                valueFrom: {
                  fieldRef: { fieldPath: 'spec.serviceAccountName' },
                },
              },
              {
                name: 'GOMAXPROCS',
                valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } },
              },
            ],
            volumeMounts: [
              { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
              { name: 'local-certs', mountPath: '/var/run/secrets/istio-dns' },
              {
                name: 'istio-token',
                mountPath: '/var/run/secrets/tokens',
              },
            ],
          },
        ],
        volumes: [
          {
            name: 'cacerts',
            secret: { secretName: 'cacerts', optional: true },
          },
          { name: 'local-certs', emptyDir: { medium: 'Memory' } },
          { name: 'istio-token', projected: { sources: [] } },
        ],
      },
    },
  },
};

const ports = {
  http: 1001,
  https: 1002,
  grpc: 1003,
  secureGrpc: 1004,
  monitoring: 1005,
  ctrlz: 1006,
};

describe('istiodLaunch', () => {
  const launch = istiodLaunch(deployment, ports, '/state/east/kubeconfig');

  it("keeps the chart's args and moves every listener to its own loopback port", () => {
    expect(launch.args).toEqual([
      'discovery',
      '--domain',
      'cluster.local',
      '--httpAddr=127.0.0.1:1001',
      '--httpsAddr=127.0.0.1:1002',
      '--grpcAddr=127.0.0.1:1003',
      '--secureGRPCAddr=127.0.0.1:1004',
      '--monitoringAddr=127.0.0.1:1005',
      '--ctrlz_address=127.0.0.1',
      '--ctrlz_port=1006',
    ]);
  });

  it("takes the chart's env, resolves the pod fields, and points the kube client at the harness's kubeconfig", () => {
    expect(launch.env).toEqual({
      REVISION: 'default',
      CLUSTER_ID: 'east',
      KUBECONFIG: '/state/east/kubeconfig',
      POD_NAMESPACE: 'istio-system',
      SERVICE_ACCOUNT: 'istiod',
    });
  });

  it('mounts cacerts where istiod looks for its plugged-in CA, relative to its working directory', () => {
    expect(launch.volumes).toEqual([
      {
        kind: 'Secret',
        name: 'cacerts',
        optional: true,
        path: 'etc/cacerts',
        items: undefined,
      },
    ]);
    expect(launch.scratchDirs).toEqual(['var/run/secrets/istio-dns']);
    expect(launch.namespace).toBe('istio-system');
    expect(launch.serviceAccount).toBe('istiod');
  });
});
