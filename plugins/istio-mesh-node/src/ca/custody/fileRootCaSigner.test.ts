import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRootCaDir } from '../files';
import { createIntermediateCa } from '../intermediateCa';
import { createRootCa } from '../rootCa';
import { FileRootCaSigner } from './fileRootCaSigner';

describe('FileRootCaSigner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'root-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads root-key.pem only to sign', async () => {
    await writeRootCaDir(dir, await createRootCa({ keySize: 2048 }));
    // A directory in the key's place: checking access succeeds, reading fails.
    rmSync(join(dir, 'root-key.pem'));
    mkdirSync(join(dir, 'root-key.pem'));
    const signer = new FileRootCaSigner(dir);
    await expect(signer.rootCertificatePem()).resolves.toMatch(
      /BEGIN CERTIFICATE/,
    );
    await expect(signer.checkCanSign()).resolves.toBeUndefined();
    await expect(
      createIntermediateCa(signer, { cluster: 'east', keySize: 2048 }),
    ).rejects.toThrow(/root-key.pem \(EISDIR\)/);
  });
});
