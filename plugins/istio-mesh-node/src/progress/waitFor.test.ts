import { isStop, waitFor } from './waitFor';

describe('waitFor', () => {
  it('retries what fails until it passes', async () => {
    let calls = 0;
    await expect(
      waitFor(
        5,
        async () => {
          calls++;
          if (calls < 3) throw new Error('not yet');
          return true;
        },
        1,
      ),
    ).resolves.toBe(true);
    expect(calls).toBe(3);
  });

  it('ends at once when the work was stopped, not at its deadline', async () => {
    const cancelled = new AbortController();
    cancelled.abort();
    let calls = 0;
    await expect(
      waitFor(
        60,
        async () => {
          calls++;
          throw cancelled.signal.reason;
        },
        1,
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(1);
  });
});

describe('isStop', () => {
  it('tells a stop, however wrapped, from a timeout or any other failure', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(isStop(aborted.signal.reason)).toBe(true);
    // As join/lease names the error it stops the work with.
    expect(
      isStop(Object.assign(new Error('lost'), { name: 'LeaseLostError' })),
    ).toBe(true);
    expect(
      isStop(new Error('request failed', { cause: aborted.signal.reason })),
    ).toBe(true);
    expect(isStop(new DOMException('timed out', 'TimeoutError'))).toBe(false);
    expect(isStop(new Error('HTTP 404'))).toBe(false);
    expect(isStop(undefined)).toBe(false);
  });
});
