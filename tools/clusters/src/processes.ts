import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';

/** Starts a long-running process detached from this one, its output in a log file. */
export function startDetached(
  bin: string,
  args: string[],
  logFile: string,
  cwd: string,
): number {
  const log = openSync(logFile, 'a');
  const child = spawn(bin, args, {
    cwd,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${bin}`);
  return child.pid;
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function signalAndWait(
  pids: number[],
  signal: NodeJS.Signals,
  waitMs: number,
) {
  for (const pid of pids) if (isRunning(pid)) process.kill(pid, signal);
  const deadline = Date.now() + waitMs;
  while (pids.some(isRunning) && Date.now() < deadline) await sleep(100);
}

/**
 * SIGTERM, then SIGKILL for whatever is still there after the grace period; returns
 * once every process is gone, so no orphan outlives `down`.
 */
export async function stop(pids: number[], graceMs = 5000) {
  await signalAndWait(pids, 'SIGTERM', graceMs);
  await signalAndWait(pids, 'SIGKILL', 5000);
  const left = pids.filter(isRunning);
  if (left.length) throw new Error(`processes ${left.join(', ')} did not exit`);
}

/**
 * Kills whatever is left in a detached process's group. Its children (the local
 * istiods of the supervisor) stay in that group even when the leader was killed before
 * it could stop them, so this finds the orphans a pid list cannot.
 */
export async function killGroup(leader: number) {
  const group = -leader;
  if (!isRunning(group)) return;
  process.kill(group, 'SIGKILL');
  // Orphans are reaped by pid 1, which may take a few seconds.
  const deadline = Date.now() + 15_000;
  while (isRunning(group)) {
    if (Date.now() > deadline)
      throw new Error(`process group ${leader} did not exit`);
    await sleep(100);
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}`,
      );
    await sleep(250);
  }
}
