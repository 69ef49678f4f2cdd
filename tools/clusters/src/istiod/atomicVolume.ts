import {
  existsSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { confinedPath } from './confinedPath';

const DATA_LINK = '..data';
let writes = 0;

/**
 * Writes a volume's files as the kubelet does, so a watcher of the directory (istiod's
 * cacerts watcher) sees every file change at once: the files go into a fresh hidden
 * directory, a `..data` symlink is swapped to it by one rename, and each visible name
 * is a symlink through `..data`. The directory itself stays, and with it the watch.
 */
export function writeVolume(dir: string, files: Record<string, Buffer>) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Unique even for two writes in one millisecond: the old data is removed by name.
  const stamp = `..${Date.now()}_${++writes}`;
  for (const [path, data] of Object.entries(files)) {
    const file = confinedPath(join(dir, stamp), path, 'item path');
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, data, { mode: 0o600 });
  }
  const dataLink = join(dir, DATA_LINK);
  const previous = existsSync(dataLink) ? readlinkSync(dataLink) : undefined;
  const next = join(dir, `${DATA_LINK}_tmp`);
  rmSync(next, { force: true });
  symlinkSync(stamp, next);
  renameSync(next, dataLink);

  const visible = new Set(Object.keys(files).map(p => p.split('/')[0]));
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('..') && !visible.has(name)) rmSync(join(dir, name));
  }
  for (const name of visible) {
    if (!existsSync(join(dir, name)))
      symlinkSync(join(DATA_LINK, name), join(dir, name));
  }
  if (previous) rmSync(join(dir, previous), { recursive: true, force: true });
}
