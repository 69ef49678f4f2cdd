import { KubeConfig } from '@kubernetes/client-node';
import { RootCaSigner } from '../signer';
import { FileRootCaSigner } from './fileRootCaSigner';
import { KubernetesSecretRootCaSigner } from './kubernetesSecretRootCaSigner';

/**
 * Where the mesh root is kept, as app-config `istioMesh.rootCa` says:
 * `{ type: kubernetesSecret, cluster, namespace, secretName }` for a management
 * cluster, or `{ type: file, directory }` for local development.
 *
 * @public
 */
export type RootCaConfig =
  | { type: 'file'; directory: string }
  | {
      type: 'kubernetesSecret';
      cluster: string;
      namespace: string;
      secretName: string;
      certificateConfigMap?: string;
    };

/**
 * A root in custody: where the config keeps it, and the signer that uses it there.
 *
 * @public
 */
export interface RootCustody {
  config: RootCaConfig;
  signer: RootCaSigner;
}

export function rootCaSignerFromConfig(
  config: RootCaConfig,
  kubeConfigForCluster: (cluster: string) => KubeConfig,
): RootCaSigner {
  switch (config.type) {
    case 'file':
      return new FileRootCaSigner(config.directory);
    case 'kubernetesSecret':
      return new KubernetesSecretRootCaSigner(
        kubeConfigForCluster(config.cluster),
        config,
      );
    default:
      throw new Error(
        `istioMesh.rootCa.type must be "kubernetesSecret" or "file", got "${
          (config as { type: unknown }).type
        }"`,
      );
  }
}
