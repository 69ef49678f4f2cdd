import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT_FILES } from '../files';
import { IntermediateSigningRequest, RootCaSigner } from '../signer';
import { rootKeyPair, signIntermediateWithRootKey } from '../signWithRootKey';

/**
 * A root kept as a PEM pair on disk, for local development and offline use of the CLI.
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

  async checkCanSign(): Promise<void> {
    rootKeyPair(
      await this.read(ROOT_FILES.cert),
      await this.read(ROOT_FILES.key),
    );
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
