import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { main } from './main';

const run = promisify(execFile);

function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-mesh-cli-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}
const istioModule = resolve(__dirname, '../../../tools/clusters/istio');

/**
 * Istio judges the CLI's output: NewVerifiedKeyCertBundleFromFile, the loader istiod
 * uses for a plugged-in CA, at the Istio version pinned in tools/clusters/istio.
 */
describe('a bundle made by `istio-mesh ca`', () => {
  it(
    'is accepted by Istio, and a broken one is refused',
    () =>
      withTempDir(async dir => {
        const out: string[] = [];
        const cli = (...args: string[]) => main(args, line => out.push(line));
        const intermediate = (cluster: string) =>
          cli(
            'ca',
            'intermediate',
            '--root',
            join(dir, 'root'),
            '--cluster',
            cluster,
            '--out',
            join(dir, cluster),
          );
        expect(await cli('ca', 'root', '--out', join(dir, 'root'))).toBe(0);
        expect(await intermediate('east')).toBe(0);
        expect(await cli('ca', 'verify', join(dir, 'east'))).toBe(0);

        const goTest = (cacertsDir: string) =>
          run('go', ['test', '-count=1', '-v', './cacertsloader/'], {
            cwd: istioModule,
            env: {
              ...process.env,
              CACERTS_DIR: cacertsDir,
              GOFLAGS: '-mod=readonly',
            },
          });
        const accepted = await goTest(join(dir, 'east'));
        expect(accepted.stdout).toContain('istio accepted');

        expect(await intermediate('west')).toBe(0);
        await run('cp', [
          join(dir, 'west', 'ca-key.pem'),
          join(dir, 'east', 'ca-key.pem'),
        ]);
        await expect(goTest(join(dir, 'east'))).rejects.toMatchObject({
          stdout: expect.stringContaining('the cert does not match the key'),
        });
        expect(await cli('ca', 'verify', join(dir, 'east'))).toBe(1);
        expect(out.join('\n')).toContain(
          'ca-key.pem does not match ca-cert.pem',
        );
        expect(out.join('\n')).not.toMatch(/PRIVATE KEY-----/);
      }),
    600_000,
  );
});
