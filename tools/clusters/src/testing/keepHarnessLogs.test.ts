import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepHarnessLogs } from './keepHarnessLogs';

describe('keepHarnessLogs', () => {
  it('keeps every log, nested ones too, and nothing else; prints what the supervisor saw fail', () => {
    const work = mkdtempSync(join(tmpdir(), 'keep-logs-'));
    const from = join(work, 'state');
    const to = join(work, 'kept');
    mkdirSync(join(from, 'east', 'istiod', 'etc', 'cacerts'), {
      recursive: true,
    });
    writeFileSync(join(from, 'east', 'kube-apiserver.log'), 'apiserver\n');
    writeFileSync(join(from, 'east', 'istiod.log'), 'istiod\n');
    writeFileSync(
      join(from, 'east', 'istiod', 'etc', 'cacerts', 'ca-key.pem'),
      'key',
    );
    writeFileSync(join(from, 'east', 'istiod', 'token'), 'token');
    writeFileSync(
      join(from, 'istiod-supervisor.log'),
      'cluster east: started local istiod\ncluster east: local istiod exited (1); see x, which ends: bind: address already in use\n',
    );
    const printed: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(chunk => printed.push(String(chunk)) > 0);

    keepHarnessLogs(from, to);
    write.mockRestore();

    expect(readFileSync(join(to, 'east', 'kube-apiserver.log'), 'utf8')).toBe(
      'apiserver\n',
    );
    expect(readFileSync(join(to, 'east', 'istiod.log'), 'utf8')).toBe(
      'istiod\n',
    );
    expect(existsSync(join(to, 'east', 'istiod'))).toBe(false);
    expect(printed.join('')).toContain('address already in use');
    expect(printed.join('')).not.toContain('started local istiod');
    rmSync(work, { recursive: true, force: true });
  });
});
