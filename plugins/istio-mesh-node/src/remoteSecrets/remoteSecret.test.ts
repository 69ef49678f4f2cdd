import { remoteKubeconfig, remoteSecretManifest } from './remoteSecret';

const source = {
  clusterName: 'cluster1',
  server: 'https://api.cluster1.example:6443',
  token: { caData: 'Q0EK', token: 'header.payload.signature' },
};

describe('remote secrets', () => {
  it("writes the kubeconfig the way istioctl's Go YAML encoder does", () => {
    expect(remoteKubeconfig(source)).toBe(
      [
        'apiVersion: v1',
        'clusters:',
        '- cluster:',
        '    certificate-authority-data: Q0EK',
        '    server: https://api.cluster1.example:6443',
        '  name: cluster1',
        'contexts:',
        '- context:',
        '    cluster: cluster1',
        '    user: cluster1',
        '  name: cluster1',
        'current-context: cluster1',
        'kind: Config',
        'users:',
        '- name: cluster1',
        '  user:',
        '    token: header.payload.signature',
        '',
      ].join('\n'),
    );
  });

  it('names, labels and keys the Secret as istiod expects it', () => {
    const secret = remoteSecretManifest(source);
    expect(secret.metadata).toEqual({
      name: 'istio-remote-secret-cluster1',
      namespace: 'istio-system',
      annotations: { 'networking.istio.io/cluster': 'cluster1' },
      labels: { 'istio/multiCluster': 'true' },
    });
    expect(Object.keys(secret.data!)).toEqual(['cluster1']);
    expect(secret.type).toBeUndefined();
  });
});
