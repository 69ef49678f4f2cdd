import { execFileSync } from 'node:child_process';
import { shellExports } from './shellExports';

describe('shellExports', () => {
  it('gives the shell every value as it is, quotes and newlines included', () => {
    const vars = { A: "it's $HOME `id`", B: 'line 1\nline 2' };
    const out = execFileSync(
      'sh',
      ['-c', `${shellExports(vars)}printf '%s|%s' "$A" "$B"`],
      { encoding: 'utf8' },
    );
    expect(out).toBe(`${vars.A}|${vars.B}`);
  });
});
