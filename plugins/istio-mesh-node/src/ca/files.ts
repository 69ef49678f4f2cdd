import {
  access,
  chmod,
  realpath,
  stat,
  mkdir,
  readFile,
  writeFile,
} from 'node:fs/promises';
import { join, sep } from 'node:path';
import { CacertsBundle, CACERTS_FILES, MAX_CACERTS_FILE_BYTES } from './bundle';
import { RootCa } from './rootCa';

export const ROOT_FILES = {
  cert: 'root-cert.pem',
  key: 'root-key.pem',
} as const;

const PRIVATE = 0o600;
const PUBLIC = 0o644;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function writeFileWithMode(path: string, text: string, mode: number) {
  await writeFile(path, text, { mode });
  // writeFile's mode applies only when it creates the file.
  await chmod(path, mode);
}

async function refuseOverwrite(path: string, force: boolean) {
  if (!force && (await exists(path))) {
    throw new Error(
      `${path} already exists; refusing to overwrite a CA key (pass --force to replace it)`,
    );
  }
}

/** @public */
export async function writeRootCaDir(dir: string, root: RootCa, force = false) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await refuseOverwrite(join(dir, ROOT_FILES.key), force);
  await writeFileWithMode(join(dir, ROOT_FILES.key), root.keyPem, PRIVATE);
  await writeFileWithMode(join(dir, ROOT_FILES.cert), root.certPem, PUBLIC);
}

/** @public */
export async function writeCacertsDir(
  dir: string,
  bundle: CacertsBundle,
  force = false,
) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await refuseOverwrite(join(dir, CACERTS_FILES.caKey), force);
  await writeFileWithMode(
    join(dir, CACERTS_FILES.caKey),
    bundle.caKey,
    PRIVATE,
  );
  await writeFileWithMode(
    join(dir, CACERTS_FILES.caCert),
    bundle.caCert,
    PUBLIC,
  );
  await writeFileWithMode(
    join(dir, CACERTS_FILES.rootCert),
    bundle.rootCert,
    PUBLIC,
  );
  await writeFileWithMode(
    join(dir, CACERTS_FILES.certChain),
    bundle.certChain,
    PUBLIC,
  );
}

/**
 * Reads whichever cacerts files exist; a missing file is left out for the validator to
 * name.
 *
 * @public
 */
export async function readCacertsDir(
  dir: string,
): Promise<Partial<Record<string, string>>> {
  const files: Partial<Record<string, string>> = {};
  const base = await realpath(dir);
  for (const name of [...Object.values(CACERTS_FILES), 'istio-generated']) {
    const path = join(dir, name);
    if (!(await exists(path))) continue;
    // Only a plain file of plausible size is read, never a FIFO or a device; a link to a
    // file is followed, as a mounted Secret's files are links into ..data, but only
    // within the directory: a link could otherwise make it read any file the portal
    // can, a key or a token among them.
    const target = await realpath(path);
    if (!target.startsWith(`${base}${sep}`)) {
      throw new Error(
        `${path} is a link to a file outside ${dir}; put the PEM file itself in the directory`,
      );
    }
    const info = await stat(path);
    if (!info.isFile()) {
      throw new Error(
        `${path} is not a regular file; write the PEM file itself`,
      );
    }
    if (info.size > MAX_CACERTS_FILE_BYTES) {
      throw new Error(
        `${path} is ${info.size} bytes, more than ${MAX_CACERTS_FILE_BYTES}; a cacerts file is a few KB`,
      );
    }
    files[name] = await readFile(path, 'utf8');
  }
  return files;
}
