import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT_FILES } from '../files';
import { IntermediateSigningRequest, RootCaSigner } from '../signer';
import {
  rootCertificate,
  signIntermediateWithRootKey,
} from '../signWithRootKey';

/**
 * A root kept as a PEM pair on disk, for local development and offline use of the CLI.
 * root-key.pem is read only while an intermediate is signed.
 *
 * @public
 */
export class FileRootCaSigner implements RootCaSigner {
  readonly description: string;

  constructor(private readonly directory: string) {
    this.description = `root CA files in ${directory}`;
  }

  async rootCertificatePem(): Promise<string> {
    return this.read(ROOT_FILES.cert);
  }

  /** The directory keeps the certificate beside the key: nothing else publishes it. */
  custodyRootCertificatePem(): Promise<string> {
    return this.rootCertificatePem();
  }

  /** The certificate parses and the key file is readable; the key is not read. */
  async checkCanSign(): Promise<void> {
    rootCertificate(await this.read(ROOT_FILES.cert));
    const key = join(this.directory, ROOT_FILES.key);
    try {
      await access(key, constants.R_OK);
    } catch (e) {
      throw new Error(
        `cannot read ${key} (${
          (e as NodeJS.ErrnoException).code
        }): point the root CA directory at the output of \`istio-mesh ca root\``,
      );
    }
  }

  async signIntermediate(request: IntermediateSigningRequest): Promise<string> {
    return signIntermediateWithRootKey(
      request,
      await this.read(ROOT_FILES.cert),
      await this.read(ROOT_FILES.key),
    );
  }

  private async read(name: string): Promise<string> {
    const path = join(this.directory, name);
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      throw new Error(
        `cannot read ${path} (${
          (e as NodeJS.ErrnoException).code
        }): point the root CA directory at the output of \`istio-mesh ca root\``,
      );
    }
  }
}
