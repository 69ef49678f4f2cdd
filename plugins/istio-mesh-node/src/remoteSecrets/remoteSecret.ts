import { V1Secret } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import {
  CLUSTER_ANNOTATION,
  ISTIO_SYSTEM,
  MULTICLUSTER_LABEL,
  remoteSecretName,
} from '../mesh/names';
import { ReaderToken } from './readerToken';

export interface RemoteSecretSource {
  /** The source cluster's istiod clusterName: the data key and the name suffix. */
  clusterName: string;
  /** The source API server address the reading istiod can reach. */
  server: string;
  token: ReaderToken;
}

/**
 * The kubeconfig istioctl writes: cluster, context and user all named after the
 * cluster, the CA from the token Secret (not the portal's), and a bearer token: istiod
 * refuses exec plugins and token files (docs/istio-procedure.md §5.4). Keys sorted,
 * lists unindented, as Go's YAML encoder writes them.
 */
export function remoteKubeconfig(source: RemoteSecretSource): string {
  const name = source.clusterName;
  return stringify(
    {
      apiVersion: 'v1',
      clusters: [
        {
          cluster: {
            'certificate-authority-data': source.token.caData,
            server: source.server,
          },
          name,
        },
      ],
      contexts: [{ context: { cluster: name, user: name }, name }],
      'current-context': name,
      kind: 'Config',
      users: [{ name, user: { token: source.token.token } }],
    },
    { indentSeq: false, lineWidth: 0, sortMapEntries: true },
  );
}

/**
 * The Secret istiod watches: named, labelled and annotated as istioctl does it, in
 * istio-system, with the clusterName as the data key.
 */
export function remoteSecretManifest(source: RemoteSecretSource): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: remoteSecretName(source.clusterName),
      namespace: ISTIO_SYSTEM,
      annotations: { [CLUSTER_ANNOTATION]: source.clusterName },
      labels: { [MULTICLUSTER_LABEL]: 'true' },
    },
    data: {
      [source.clusterName]: Buffer.from(remoteKubeconfig(source)).toString(
        'base64',
      ),
    },
  };
}
