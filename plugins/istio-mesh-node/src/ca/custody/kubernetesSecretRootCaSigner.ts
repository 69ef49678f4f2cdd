import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ROOT_FILES } from '../files';
import { IntermediateSigningRequest, RootCaSigner } from '../signer';
import { rootKeyPair, signIntermediateWithRootKey } from '../signWithRootKey';

/** @public */
export interface KubernetesSecretRootCaLocation {
  /** A name for the management cluster, for messages. */
  cluster: string;
  namespace: string;
  secretName: string;
}

/**
 * A root kept in a Secret of a management cluster, with the data keys root-cert.pem and
 * root-key.pem. The Secret is read on every use, so the key is in memory only while an
 * intermediate is being signed.
 *
 * @public
 */
export class KubernetesSecretRootCaSigner implements RootCaSigner {
  readonly description: string;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly location: KubernetesSecretRootCaLocation,
  ) {
    this.description = `Secret ${location.namespace}/${location.secretName} in cluster ${location.cluster}`;
  }

  async rootCertificatePem(): Promise<string> {
    return (await this.readSecret())[ROOT_FILES.cert];
  }

  async checkCanSign(): Promise<void> {
    const data = await this.readSecret();
    rootKeyPair(data[ROOT_FILES.cert], data[ROOT_FILES.key]);
  }

  async signIntermediate(request: IntermediateSigningRequest): Promise<string> {
    const data = await this.readSecret();
    return signIntermediateWithRootKey(
      request,
      data[ROOT_FILES.cert],
      data[ROOT_FILES.key],
    );
  }

  private async readSecret(): Promise<Record<string, string>> {
    const { namespace, secretName } = this.location;
    let secret;
    try {
      secret = await this.kubeConfig
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret({ name: secretName, namespace });
    } catch (e) {
      const code = (e as { code?: number }).code;
      throw new Error(
        `cannot read the root CA from ${this.description}${
          code ? ` (HTTP ${code})` : ''
        }: ` + 'check that the Secret exists and that the portal may get it',
      );
    }
    const decoded: Record<string, string> = {};
    for (const name of Object.values(ROOT_FILES)) {
      const value = secret.data?.[name];
      if (!value) {
        throw new Error(
          `${this.description} has no ${name} key: store the root as root-cert.pem and root-key.pem`,
        );
      }
      decoded[name] = Buffer.from(value, 'base64').toString('utf8');
    }
    return decoded;
  }
}
