import { main } from './main';

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await main(args, line => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('istio-mesh help', () => {
  it.each([['--help'], ['-h'], ['help']])(
    '%s prints every command and exits 0',
    async flag => {
      const { code, text } = await run(flag);
      expect(code).toBe(0);
      expect(text).toContain('istio-mesh ca root --out DIR');
      expect(text).toContain('istio-mesh ca calendar --config');
    },
  );

  it.each([
    [['ca', 'calendar', '--help'], 'istio-mesh ca calendar --config'],
    [
      ['ca', 'calendar', '--config', 'x.yaml', '--help'],
      'istio-mesh ca calendar',
    ],
    [['ca', 'root', '-h'], 'istio-mesh ca root --out DIR'],
    [['help', 'ca', 'verify'], 'istio-mesh ca verify DIR/NAME'],
  ])('%j prints that command alone and exits 0', async (args, usage) => {
    const { code, text } = await run(...args);
    expect(code).toBe(0);
    const [first, line, ...more] = text.split('\n');
    expect([first, more]).toEqual(['Usage:', []]);
    expect(line.startsWith(`  ${usage}`)).toBe(true);
  });

  it('ca --help prints the ca commands', async () => {
    const { code, text } = await run('ca', '--help');
    expect(code).toBe(0);
    expect(text.split('\n')).toHaveLength(5);
  });

  it('refuses help for a command that does not exist, with the usage', async () => {
    const { code, text } = await run('ca', 'sign', '--help');
    expect(code).toBe(2);
    expect(text).toContain('istio-mesh: no help for "ca sign"');
    expect(text).toContain('Usage:');
  });

  it('with no command prints the usage and exits 2', async () => {
    const { code, text } = await run();
    expect(code).toBe(2);
    expect(text).toContain('Usage:');
  });
});
