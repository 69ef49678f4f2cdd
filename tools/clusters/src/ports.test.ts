import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { portsBelowEphemeralRange } from './ports';

const ephemeralLow = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(
    /\s+/,
  )[0],
);

describe('portsBelowEphemeralRange', () => {
  it('gives distinct ports below the ephemeral range, free on 127.0.0.1, never twice', async () => {
    const first = await portsBelowEphemeralRange(6);
    const second = await portsBelowEphemeralRange(6);
    const all = [...first, ...second];

    expect(new Set(all).size).toBe(12);
    for (const port of all) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    const server = createServer();
    await new Promise<void>(r => server.listen(first[0], '127.0.0.1', r));
    await new Promise(r => server.close(r));
  });
});
