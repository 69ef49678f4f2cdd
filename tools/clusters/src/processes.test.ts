import { spawn } from 'node:child_process';
import { isRunning, killGroup, sleep } from './processes';

describe('killGroup', () => {
  it('kills the children a killed leader left behind', async () => {
    const leader = spawn('sh', ['-c', 'sleep 300 & sleep 300 & wait'], {
      detached: true,
      stdio: 'ignore',
    });
    const pid = leader.pid!;
    const exited = new Promise(r => leader.once('exit', r));
    await sleep(200);
    leader.kill('SIGKILL');
    await exited;
    expect(isRunning(-pid)).toBe(true);

    await killGroup(pid);

    expect(isRunning(-pid)).toBe(false);
  }, 30_000);

  it('does nothing when the group is already gone', async () => {
    await expect(killGroup(2 ** 22 - 7)).resolves.toBeUndefined();
  });
});
