import {
  chmodSync,
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fenceSignal } from '../clusters/leaseFence';
import { helmEnvironment, HelmRunner } from './helmRunner';

describe('HelmRunner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helm-runner-'));
  /** A stand-in helm: a shell script, so no cluster and no real helm is needed. */
  const fakeHelm = (script: string) => {
    const file = join(dir, `helm-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives helm no HELM_* setting, KUBECONFIG or cloud credential of the backend', async () => {
    const env = helmEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/backstage',
      HTTPS_PROXY: 'http://127.0.0.1:3128',
      HELM_DRIVER: 'memory',
      HELM_KUBETOKEN: 'x',
      KUBECONFIG: '/etc/admin.conf',
      AWS_SECRET_ACCESS_KEY: 'x',
      AZURE_CLIENT_SECRET: 'x',
      GOOGLE_APPLICATION_CREDENTIALS: '/x.json',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/backstage',
      HTTPS_PROXY: 'http://127.0.0.1:3128',
    });
    process.env.HELM_DRIVER = 'memory';
    try {
      const helm = new HelmRunner(fakeHelm('env'), { timeoutSeconds: 5 });
      expect(await helm.version()).not.toMatch(/HELM_DRIVER/);
    } finally {
      delete process.env.HELM_DRIVER;
    }
  });

  it('stops a helm that outlives its timeout, and says how to allow more', async () => {
    const helm = new HelmRunner(fakeHelm('exec sleep 30'), {
      timeoutSeconds: 1,
    });
    await expect(helm.version()).rejects.toThrow(
      /stopped after 1s without finishing; raise istioMesh.timeouts.helmSeconds/,
    );
  });

  it('stops helm when the run is cancelled', async () => {
    const cancel = new AbortController();
    const helm = new HelmRunner(fakeHelm('exec sleep 30'), {
      timeoutSeconds: 60,
    }).withSignal(cancel.signal);
    const running = helm.version();
    setTimeout(() => cancel.abort(), 200);
    await expect(running).rejects.toThrow(/stopped: the task was cancelled/);
  });

  it('runs no helm once the fence of its Lease has fired, and says why it stopped', async () => {
    const ran = join(dir, 'ran');
    const lost = new AbortController();
    fenceSignal(lost.signal, () =>
      lost.abort(
        Object.assign(new Error('lost the helm Lease of cluster west'), {
          name: 'LeaseLostError',
        }),
      ),
    );
    const helm = new HelmRunner(fakeHelm(`touch ${ran}`), {
      timeoutSeconds: 5,
    }).withSignal(lost.signal);
    await expect(helm.version()).rejects.toThrow(
      /stopped: lost the helm Lease of cluster west/,
    );
    expect(existsSync(ran)).toBe(false);
  });
});
