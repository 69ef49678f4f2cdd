import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import { readMetadata } from '../../kube/metadata';
import { ROOT_FILES } from '../files';
import { IntermediateSigningRequest, RootCaSigner } from '../signer';
import { signIntermediateWithRootKey } from '../signWithRootKey';

/** @public */
export interface KubernetesSecretRootCaLocation {
  /** A name for the management cluster, for messages. */
  cluster: string;
  namespace: string;
  secretName: string;
  /**
   * The ConfigMap, in the same namespace, that publishes the root certificate
   * (root-cert.pem); the Secret's name by default.
   */
  certificateConfigMap?: string;
}

function httpCode(e: unknown): string {
  const code = (e as { code?: number }).code;
  return code ? ` (HTTP ${code})` : '';
}

/**
 * A root kept in a Secret of a management cluster, with the data keys root-cert.pem and
 * root-key.pem, and its certificate published in a ConfigMap beside it. Reading the
 * root certificate reads the ConfigMap only, and checking that the root can sign reads
 * the Secret's metadata only: the Secret's data, with the key, is read only while an
 * intermediate is signed, and dropped afterwards.
 *
 * @public
 */
export class KubernetesSecretRootCaSigner implements RootCaSigner {
  readonly description: string;
  private readonly configMap: string;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly location: KubernetesSecretRootCaLocation,
  ) {
    this.description = `Secret ${location.namespace}/${location.secretName} in cluster ${location.cluster}`;
    this.configMap = location.certificateConfigMap ?? location.secretName;
  }

  async rootCertificatePem(): Promise<string> {
    const { namespace } = this.location;
    const where = `ConfigMap ${namespace}/${this.configMap} in cluster ${this.location.cluster}`;
    let data: Record<string, string> | undefined;
    try {
      const configMap = await this.kubeConfig
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ name: this.configMap, namespace });
      data = configMap.data;
    } catch (e) {
      throw new Error(
        `cannot read the mesh root certificate from ${where}${httpCode(
          e,
        )}: publish it beside the root Secret (kubectl create configmap ${
          this.configMap
        } -n ${namespace} --from-file=${
          ROOT_FILES.cert
        }) and let the portal get it`,
      );
    }
    const pem = data?.[ROOT_FILES.cert];
    if (!pem) {
      throw new Error(`${where} has no ${ROOT_FILES.cert} key`);
    }
    return pem;
  }

  async checkCanSign(): Promise<void> {
    await this.rootCertificatePem();
    const { namespace, secretName } = this.location;
    let exists;
    try {
      exists = await readMetadata(
        this.kubeConfig,
        `/api/v1/namespaces/${namespace}/secrets/${secretName}`,
      );
    } catch (e) {
      throw new Error(
        `cannot read the root CA from ${this.description}${httpCode(
          e,
        )}: check that the portal may get it`,
      );
    }
    if (!exists) {
      throw new Error(
        `cannot read the root CA from ${this.description} (HTTP 404): check that the Secret exists`,
      );
    }
  }

  async custodyRootCertificatePem(): Promise<string> {
    return (await this.readAgreeing())[ROOT_FILES.cert];
  }

  async signIntermediate(request: IntermediateSigningRequest): Promise<string> {
    const data = await this.readAgreeing();
    return signIntermediateWithRootKey(
      request,
      data[ROOT_FILES.cert],
      data[ROOT_FILES.key],
    );
  }

  /**
   * The Secret, once its certificate is the one the ConfigMap publishes: whoever may
   * write ConfigMaps there, but not read the Secret, must not get a root of theirs
   * signed under, or trusted mesh-wide.
   */
  private async readAgreeing(): Promise<Record<string, string>> {
    const published = await this.rootCertificatePem();
    const data = await this.readSecret();
    if (data[ROOT_FILES.cert].trim() !== published.trim()) {
      throw new Error(
        `the root certificate in ${this.description} (SHA-256 ${sha256Of(
          data[ROOT_FILES.cert],
        )}) is not the one its ConfigMap ${this.location.namespace}/${
          this.configMap
        } publishes (SHA-256 ${sha256Of(
          published,
        )}): find out who changed the ConfigMap, then publish the Secret's ${
          ROOT_FILES.cert
        } there again`,
      );
    }
    return data;
  }

  private async readSecret(): Promise<Record<string, string>> {
    const { namespace, secretName } = this.location;
    let secret;
    try {
      secret = await this.kubeConfig
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret({ name: secretName, namespace });
    } catch (e) {
      throw new Error(
        `cannot read the root CA from ${this.description}${httpCode(e)}: ` +
          'check that the Secret exists and that the portal may get it',
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

function sha256Of(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return 'not a certificate';
  }
}
