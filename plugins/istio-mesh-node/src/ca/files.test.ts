import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCacertsDir } from './files';
import { withTempDir } from './testing';

describe('readCacertsDir', () => {
  it('reads the files that exist and leaves the others out', () =>
    withTempDir(async dir => {
      writeFileSync(join(dir, 'ca-cert.pem'), 'x');
      expect(await readCacertsDir(dir)).toEqual({ 'ca-cert.pem': 'x' });
    }));

  it('refuses what is not a regular file, such as a FIFO, without reading it', () =>
    withTempDir(async dir => {
      execFileSync('mkfifo', [join(dir, 'cert-chain.pem')]);
      await expect(readCacertsDir(dir)).rejects.toThrow(
        /cert-chain.pem is not a regular file/,
      );
    }));

  it('refuses a file over 1 MiB', () =>
    withTempDir(async dir => {
      writeFileSync(join(dir, 'root-cert.pem'), Buffer.alloc(2 * 1024 * 1024));
      await expect(readCacertsDir(dir)).rejects.toThrow(
        /root-cert.pem is 2097152 bytes, more than 1048576/,
      );
    }));
});
