import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths';
import { freePort } from '../ports';
import { waitFor } from '../processes';
import { OidcAccount } from './accounts';
import { LocalOidc, OidcClient } from './localOidc';

/** What the issuer process serves, as `yarn oidc serve <file>` reads it. */
export interface IssuerOptions {
  port: number;
  accounts: OidcAccount[];
  clients: OidcClient[];
}

/**
 * The local issuer in a process of its own, as `yarn oidc up` runs it: oidc-provider is
 * an ES module, which a Jest worker cannot import. Its options (passwords and the
 * client secret among them) pass through a file only this user can read, removed when
 * the issuer stops.
 */
export async function startOidcIssuer(options: {
  accounts: OidcAccount[];
  clients: OidcClient[];
}): Promise<LocalOidc> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-mesh-oidc-'));
  const file = join(dir, 'issuer.json');
  const port = await freePort();
  writeFileSync(file, JSON.stringify({ ...options, port }), { mode: 0o600 });
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'tools/clusters/bin/oidc'), 'serve', file],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr += chunk;
  });
  const issuer = `http://127.0.0.1:${port}`;
  const metadataUrl = `${issuer}/.well-known/openid-configuration`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `the local OIDC issuer on ${issuer}`,
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`the issuer exited: ${stderr}`);
        }
        return (await fetch(metadataUrl).catch(() => undefined))?.ok ?? false;
      },
      60_000,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { issuer, metadataUrl, stop };
}
