import { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import { ChartValues, MeshCluster } from './meshCluster';

interface KubernetesPluginCluster {
  url: string;
  caData?: string;
  skipTLSVerify: boolean;
}

/** The kubernetes plugin's config-located clusters, by name. */
function kubernetesPluginClusters(
  config: Config,
): Map<string, KubernetesPluginCluster> {
  const clusters = new Map<string, KubernetesPluginCluster>();
  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    if (method.getString('type') !== 'config') continue;
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      clusters.set(c.getString('name'), {
        url: c.getString('url'),
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }
  return clusters;
}

function userFor(c: Config, name: string) {
  const authProvider = c.getString('authProvider');
  switch (authProvider) {
    case 'serviceAccount':
      return { name, token: c.getString('serviceAccountToken') };
    case 'clientCertificate':
      return {
        name,
        certData: c.getString('clientCertificateData'),
        keyData: c.getString('clientKeyData'),
      };
    default:
      throw new Error(
        `istioMesh.clusters[${name}].authProvider must be serviceAccount, clientCertificate or kubeconfig; got "${authProvider}"`,
      );
  }
}

function kubeConfigFactory(
  c: Config,
  name: string,
  pluginCluster: KubernetesPluginCluster,
): () => KubeConfig {
  if (c.getString('authProvider') === 'kubeconfig') {
    // EKS and AKS sign in through an exec plugin (aws eks get-token, kubelogin); the
    // portal may use it, but remote secrets never carry it (spec §5.4).
    const path = c.getString('kubeconfigPath');
    const context = c.getString('kubeconfigContext');
    return () => {
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      kc.setCurrentContext(context);
      return kc;
    };
  }
  const user = userFor(c, name);
  return () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name,
          server: pluginCluster.url,
          caData: pluginCluster.caData,
          skipTLSVerify: pluginCluster.skipTLSVerify,
        },
      ],
      users: [user],
      contexts: [{ name, cluster: name, user: name }],
      currentContext: name,
    });
    return kc;
  };
}

/**
 * The clusters of app-config `istioMesh.clusters`. Each names a kubernetes plugin
 * cluster, so one cluster list serves the Kubernetes tab and the mesh, and adds the
 * credentials the mesh actions use plus the address peers reach it at.
 */
export function meshClustersFromConfig(config: Config): MeshCluster[] {
  const pluginClusters = kubernetesPluginClusters(config);
  return (config.getOptionalConfigArray('istioMesh.clusters') ?? []).map(c => {
    const name = c.getString('name');
    const pluginCluster = pluginClusters.get(name);
    if (!pluginCluster) {
      throw new Error(
        `istioMesh.clusters names "${name}", which is not a cluster of kubernetes.clusterLocatorMethods (type config); add it there first`,
      );
    }
    const peerServer = c.getOptionalString('peerServer');
    return {
      name,
      server: pluginCluster.url,
      peerServer: peerServer ?? pluginCluster.url,
      peerServerDefaulted: !peerServer,
      chartValues: (c.getOptional('chartValues') ?? {}) as ChartValues,
      kubeConfig: kubeConfigFactory(c, name, pluginCluster),
    };
  });
}
