import { ConfigReader } from '@backstage/config';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { meshClustersFromConfig } from './meshClustersFromConfig';

const kubernetes = {
  clusterLocatorMethods: [
    {
      type: 'config',
      clusters: [
        {
          name: 'eks',
          url: 'https://eks.example',
          authProvider: 'aws',
          caData: 'Q0EK',
        },
        {
          name: 'onprem',
          url: 'https://onprem.example',
          authProvider: 'serviceAccount',
        },
      ],
    },
  ],
};

describe('meshClustersFromConfig', () => {
  it('signs EKS in through the kubernetes backend strategy, with the cluster’s auth metadata', async () => {
    const seen: unknown[] = [];
    const aws: AuthenticationStrategy = {
      getCredential: async details => {
        seen.push(details.authMetadata);
        return { type: 'bearer token', token: 'k8s-aws-v1.token' };
      },
      validateCluster: () => [],
      presentAuthMetadata: m => m,
    };
    const [eks] = meshClustersFromConfig(
      new ConfigReader({
        kubernetes,
        istioMesh: {
          clusters: [
            {
              name: 'eks',
              authProvider: 'aws',
              authMetadata: {
                'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/mesh',
              },
              peerServer: 'https://eks-private.example',
            },
          ],
        },
      }),
      { aws },
    );
    expect(() => eks.kubeConfig()).toThrow(
      /no aws credentials \(not fetched yet\)/,
    );
    await eks.refreshCredentials();
    expect(eks.kubeConfig().getCurrentUser()?.token).toBe('k8s-aws-v1.token');
    expect(eks.kubeConfig().getCurrentCluster()?.server).toBe(
      'https://eks.example',
    );
    expect(eks.peerServer).toBe('https://eks-private.example');
    expect(seen).toEqual([
      {
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/mesh',
      },
    ]);
  });

  it('refuses a mesh cluster the kubernetes plugin does not know', () => {
    expect(() =>
      meshClustersFromConfig(
        new ConfigReader({
          kubernetes,
          istioMesh: {
            clusters: [{ name: 'gke', authProvider: 'serviceAccount' }],
          },
        }),
      ),
    ).toThrow(
      /names "gke", which is not a cluster of kubernetes.clusterLocatorMethods/,
    );
  });

  it('falls back to the portal address for peers, and says so', () => {
    const [onprem] = meshClustersFromConfig(
      new ConfigReader({
        kubernetes,
        istioMesh: {
          clusters: [
            {
              name: 'onprem',
              authProvider: 'serviceAccount',
              serviceAccountToken: 't',
            },
          ],
        },
      }),
    );
    expect(onprem.peerServer).toBe('https://onprem.example');
    expect(onprem.peerServerDefaulted).toBe(true);
  });
});
