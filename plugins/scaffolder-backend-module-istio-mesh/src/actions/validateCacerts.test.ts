import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createIntermediateCa,
  createRootCa,
  FileRootCaSigner,
  writeCacertsDir,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createValidateCacertsAction } from './validateCacerts';

const deps = {
  config: mockServices.rootConfig(),
  permissions: mockServices.permissions(),
};

describe('istio:cacerts:validate', () => {
  let workspacePath: string;

  beforeAll(async () => {
    workspacePath = mkdtempSync(join(tmpdir(), 'istio-mesh-action-'));
    const rootDir = mkdtempSync(join(tmpdir(), 'istio-mesh-root-'));
    await writeRootCaDir(rootDir, await createRootCa({ keySize: 2048 }));
    const bundle = await createIntermediateCa(new FileRootCaSigner(rootDir), {
      cluster: 'east',
      keySize: 2048,
    });
    rmSync(rootDir, { recursive: true });
    await writeCacertsDir(join(workspacePath, 'east'), bundle);
  }, 60_000);

  afterAll(() => rmSync(workspacePath, { recursive: true, force: true }));

  it('accepts a valid bundle and outputs its expiry, never key material', async () => {
    const ctx = createMockActionContext({
      input: { path: 'east' },
      workspacePath,
    });
    await createValidateCacertsAction(deps).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'notAfter',
      expect.stringMatching(/^\d{4}-/),
    );
    for (const [, value] of (ctx.output as jest.Mock).mock.calls) {
      expect(JSON.stringify(value)).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('fails naming the file and the fix', async () => {
    writeFileSync(join(workspacePath, 'east', 'cert-chain.pem'), '');
    const ctx = createMockActionContext({
      input: { path: 'east' },
      workspacePath,
    });
    await expect(
      createValidateCacertsAction(deps).handler(ctx),
    ).rejects.toThrow(/cert-chain.pem is missing.*fix:/);
  });

  it('refuses a path outside the workspace', async () => {
    const ctx = createMockActionContext({
      input: { path: '../..' },
      workspacePath,
    });
    await expect(
      createValidateCacertsAction(deps).handler(ctx),
    ).rejects.toThrow(/outside/);
  });
});
