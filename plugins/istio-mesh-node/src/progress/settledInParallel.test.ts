import { settledInParallel } from './settledInParallel';

describe('settledInParallel', () => {
  it('runs at most limit at once, settles every item, and keeps their order', async () => {
    let running = 0;
    let most = 0;
    const results = await settledInParallel(
      [30, 10, 20, 5, 15],
      2,
      async ms => {
        running++;
        most = Math.max(most, running);
        await new Promise(r => setTimeout(r, ms));
        running--;
        if (ms === 10) throw new Error('ten');
        return ms * 2;
      },
    );
    expect(most).toBe(2);
    expect(
      results.map(r => (r.status === 'fulfilled' ? r.value : String(r.reason))),
    ).toEqual([60, 'Error: ten', 40, 10, 30]);
  });

  it('settles nothing for no items', async () => {
    expect(await settledInParallel([], 4, async () => 1)).toEqual([]);
  });
});
