import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVolume } from './atomicVolume';

describe('writeVolume', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'volume-')), 'etc/cacerts');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('swaps every file at once through ..data, keeping the directory', () => {
    writeVolume(dir, {
      'ca-cert.pem': Buffer.from('old cert'),
      'ca-key.pem': Buffer.from('old key'),
    });
    writeVolume(dir, {
      'ca-cert.pem': Buffer.from('new cert'),
      'cert-chain.pem': Buffer.from('new chain'),
    });
    expect(readFileSync(join(dir, 'ca-cert.pem'), 'utf8')).toBe('new cert');
    expect(readFileSync(join(dir, 'cert-chain.pem'), 'utf8')).toBe('new chain');
    const names = readdirSync(dir);
    expect(names.filter(n => !n.startsWith('..')).sort()).toEqual([
      'ca-cert.pem',
      'cert-chain.pem',
    ]);
    // The new data and its link; the old data is gone.
    expect(names.filter(n => n.startsWith('..'))).toHaveLength(2);
  });

  it('refuses an item path that leaves the volume, writing nothing', () => {
    expect(() =>
      writeVolume(dir, { '../../escaped': Buffer.from('x') }),
    ).toThrow(/item path "..\/..\/escaped" leaves the istiod directory/);
    expect(readdirSync(join(dir, '..'))).not.toContain('escaped');
  });
});
