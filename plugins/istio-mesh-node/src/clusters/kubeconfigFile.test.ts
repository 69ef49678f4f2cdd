import { KubeConfig } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withKubeconfigFile } from './kubeconfigFile';

describe('withKubeconfigFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubeconfigs-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'east', server: 'https://127.0.0.1:6443', skipTLSVerify: false },
    { name: 'portal', token: 'not-a-real-token' },
  );

  it("removes what a crashed process left, keeps a live process's, and leaves none of its own", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(root, `${dead}-crashed`, 'run-1'), { recursive: true });
    writeFileSync(join(root, `${dead}-crashed`, 'run-1', 'kubeconfig'), 'x');
    const live = `${process.ppid}-live`;
    mkdirSync(join(root, live));
    let seen = '';
    await withKubeconfigFile(
      kc,
      async path => {
        seen = path;
        expect(statSync(path).mode & 0o777).toBe(0o600);
      },
      root,
    );
    expect(existsSync(seen)).toBe(false);
    const left = readdirSync(root);
    expect(left).not.toContain(`${dead}-crashed`);
    expect(left).toContain(live);
    expect(left.filter(e => e.startsWith(`${process.pid}-`))).toHaveLength(1);
  });

  it('removes the file when the work fails', async () => {
    let seen = '';
    await expect(
      withKubeconfigFile(
        kc,
        async path => {
          seen = path;
          throw new Error('helm failed');
        },
        root,
      ),
    ).rejects.toThrow('helm failed');
    expect(existsSync(seen)).toBe(false);
  });
});
