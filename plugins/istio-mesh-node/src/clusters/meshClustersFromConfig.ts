import { Config } from '@backstage/config';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { DEFAULT_KUBE_REQUEST_SECONDS, guardRequests } from './requestGuard';
import { KubeConfig } from '@kubernetes/client-node';
import { CLOUD_AUTH_PROVIDERS } from './cloudCredentials';
import { ChartValues, MeshCluster } from './meshCluster';
import { gatewayExposureFromConfig } from './gatewayExposureFromConfig';

interface KubernetesPluginCluster {
  url: string;
  caData?: string;
  skipTLSVerify: boolean;
  /** How the Kubernetes tab signs in; it names the cloud (aws, azure, google…). */
  authProvider?: string;
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
        authProvider: c.getOptionalString('authProvider'),
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
        `istioMesh.clusters[${name}].authProvider must be serviceAccount, clientCertificate, kubeconfig, aws, azure or googleServiceAccount; got "${authProvider}"`,
      );
  }
}

function kubeConfigWithUser(
  name: string,
  pluginCluster: KubernetesPluginCluster,
  user: { name: string; token?: string; certData?: string; keyData?: string },
): KubeConfig {
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
}

/**
 * A cluster that signs in through a cloud identity: a short-lived bearer token from the
 * kubernetes backend's strategy, fetched before an operation and used for its duration.
 */
function cloudCluster(
  c: Config,
  pluginCluster: KubernetesPluginCluster & { name: string },
  strategy: AuthenticationStrategy | undefined,
): Pick<MeshCluster, 'kubeConfig' | 'refreshCredentials'> {
  const { name } = pluginCluster;
  const authProvider = c.getString('authProvider');
  let token: string | undefined;
  let failure: string | undefined;
  return {
    async refreshCredentials() {
      if (!strategy) {
        failure = `no ${authProvider} auth strategy is available`;
        return;
      }
      try {
        const credential = await strategy.getCredential(
          {
            name,
            url: pluginCluster.url,
            caData: pluginCluster.caData,
            skipTLSVerify: pluginCluster.skipTLSVerify,
            authMetadata: {
              'kubernetes.io/auth-provider': authProvider,
              ...((c.getOptional('authMetadata') as Record<string, string>) ??
                {}),
            },
          },
          {},
        );
        if (credential.type !== 'bearer token') {
          throw new Error(`the ${authProvider} strategy gave no bearer token`);
        }
        token = credential.token;
        failure = undefined;
      } catch (e) {
        failure = (e as Error).message;
      }
    },
    kubeConfig() {
      if (!token) {
        throw new Error(
          `cluster ${name}: no ${authProvider} credentials (${
            failure ?? 'not fetched yet'
          }); check the backend's cloud identity and istioMesh.clusters[].authMetadata`,
        );
      }
      return kubeConfigWithUser(name, pluginCluster, { name, token });
    },
  };
}

function kubeConfigFactory(
  c: Config,
  name: string,
  pluginCluster: KubernetesPluginCluster,
): () => KubeConfig {
  if (c.getString('authProvider') === 'kubeconfig') {
    // EKS and AKS sign in through an exec plugin (aws eks get-token, kubelogin); the
    // portal may use it, but remote secrets never carry it (docs/istio-procedure.md
    // §5.4).
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
  return () => kubeConfigWithUser(name, pluginCluster, user);
}

/**
 * istioMesh.timeouts.kubeRequestSeconds: the bound on every Kubernetes API request.
 *
 * @public
 */
export function kubeRequestSecondsFromConfig(config: Config): number {
  return (
    config.getOptionalNumber('istioMesh.timeouts.kubeRequestSeconds') ??
    DEFAULT_KUBE_REQUEST_SECONDS
  );
}

/**
 * The clusters of app-config `istioMesh.clusters`. Each names a kubernetes plugin
 * cluster, so one cluster list serves the Kubernetes tab and the mesh, and adds the
 * credentials the mesh actions use plus the address peers reach it at.
 *
 * @public
 */
export function meshClustersFromConfig(
  config: Config,
  strategies: Record<string, AuthenticationStrategy> = {},
): MeshCluster[] {
  const pluginClusters = kubernetesPluginClusters(config);
  const timeoutMs = kubeRequestSecondsFromConfig(config) * 1000;
  return (config.getOptionalConfigArray('istioMesh.clusters') ?? []).map(c => {
    const name = c.getString('name');
    const pluginCluster = pluginClusters.get(name);
    if (!pluginCluster) {
      throw new Error(
        `istioMesh.clusters names "${name}", which is not a cluster of kubernetes.clusterLocatorMethods (type config); add it there first`,
      );
    }
    const peerServer = c.getOptionalString('peerServer');
    const authProvider = c.getString('authProvider');
    const access = CLOUD_AUTH_PROVIDERS.includes(authProvider)
      ? cloudCluster(c, { ...pluginCluster, name }, strategies[authProvider])
      : {
          kubeConfig: kubeConfigFactory(c, name, pluginCluster),
          refreshCredentials: async () => undefined,
        };
    const unguarded = access.kubeConfig;
    return {
      name,
      server: pluginCluster.url,
      peerServer: peerServer ?? pluginCluster.url,
      peerServerDefaulted: !peerServer,
      chartValues: (c.getOptional('chartValues') ?? {}) as ChartValues,
      gatewayExposure: gatewayExposureFromConfig(c, pluginCluster.authProvider),
      istiodDebugUrl: c.getOptionalString('istiodDebugUrl'),
      refreshCredentials: access.refreshCredentials,
      kubeConfig: () => guardRequests(unguarded(), { timeoutMs }),
    };
  });
}
