import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('follows a link within the directory, as a mounted Secret has them, and none out of it', () =>
    withTempDir(async dir => {
      const bundle = join(dir, 'bundle');
      mkdirSync(join(bundle, '..data'), { recursive: true });
      writeFileSync(join(bundle, '..data', 'ca-cert.pem'), 'x');
      symlinkSync(join('..data', 'ca-cert.pem'), join(bundle, 'ca-cert.pem'));
      expect(await readCacertsDir(bundle)).toEqual({ 'ca-cert.pem': 'x' });
      writeFileSync(join(dir, 'secret-key'), 'not for the portal to read');
      symlinkSync(join(dir, 'secret-key'), join(bundle, 'ca-key.pem'));
      await expect(readCacertsDir(bundle)).rejects.toThrow(
        /ca-key.pem is a link to a file outside .*bundle; put the PEM file itself in the directory/,
      );
    }));
});
