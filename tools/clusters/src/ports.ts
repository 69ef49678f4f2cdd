import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now; the OS picks it. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

const LOWEST_PORT = 10_000;
const chosen = new Set<number>();

/**
 * Ports for listeners that bind long after they are chosen: a cluster's local istiod
 * binds its six only when the cluster joins a mesh, many minutes and thousands of
 * connections later. An OS-chosen port comes from the ephemeral range, where any of
 * those connections may be holding it by then, and istiod would fail to start. These
 * come from below that range instead, each free when chosen and never handed out twice
 * by this process. Where the range leaves no room below it, the OS chooses.
 */
export async function portsBelowEphemeralRange(
  count: number,
): Promise<number[]> {
  const high = ephemeralRangeStart();
  if (high - LOWEST_PORT < 1000)
    return Promise.all(Array.from({ length: count }, freePort));
  const span = high - LOWEST_PORT;
  // A random start keeps two harnesses on one machine apart.
  const start = Math.floor(Math.random() * span);
  const ports: number[] = [];
  for (let i = 0; i < span && ports.length < count; i++) {
    const port = LOWEST_PORT + ((start + i) % span);
    if (chosen.has(port)) continue;
    if (await listenOnce(port).catch(() => undefined)) {
      chosen.add(port);
      ports.push(port);
    }
  }
  if (ports.length < count)
    throw new Error(`no ${count} free ports below ${high} on 127.0.0.1`);
  return ports;
}

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return Number.isInteger(low) ? low : 0;
  } catch {
    return 0;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolvePort(bound));
    });
  });
}
