import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacertsBundle, cacertsFiles } from './bundle';
import { createIntermediateCa } from './intermediateCa';
import { IntermediateCaOptions, RootCaOptions } from './profile';
import { createRootCa, RootCa } from './rootCa';
import { RootCaSigner } from './signer';
import { rootKeyPair, signIntermediateWithRootKey } from './signWithRootKey';

/** An in-memory root for tests; production code keeps the key in a custody backend. */
export function inMemorySigner(root: RootCa): RootCaSigner {
  return {
    description: 'in-memory test root',
    rootCertificatePem: async () => root.certPem,
    checkCanSign: async () => {
      rootKeyPair(root.certPem, root.keyPem);
    },
    signIntermediate: async request =>
      signIntermediateWithRootKey(request, root.certPem, root.keyPem),
  };
}

export async function makeMesh(
  clusters: string[],
  rootOptions: RootCaOptions = {},
  intermediateOptions: Partial<IntermediateCaOptions> = {},
): Promise<{ root: RootCa; bundles: Record<string, CacertsBundle> }> {
  const root = await createRootCa(rootOptions);
  const bundles: Record<string, CacertsBundle> = {};
  for (const cluster of clusters) {
    bundles[cluster] = await createIntermediateCa(inMemorySigner(root), {
      ...intermediateOptions,
      cluster,
    });
  }
  return { root, bundles };
}

/** The bundle as the cacerts secret's data keys, open to tampering by a test. */
export function asFiles(bundle: CacertsBundle): Record<string, string> {
  return { ...cacertsFiles(bundle) };
}

export function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-mesh-ca-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

export function writeFiles(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, name), text);
}
