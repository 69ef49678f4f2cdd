import { BoundedKeys } from './boundedKeys';

describe('BoundedKeys', () => {
  it('keeps the newest keys, handing back the oldest once over the bound', () => {
    const keys = new BoundedKeys(2);
    expect(keys.remember('a')).toEqual([]);
    expect(keys.remember('b')).toEqual([]);
    expect(keys.remember('a')).toEqual([]);
    expect(keys.remember('c')).toEqual(['b']);
    expect(keys.remember('d')).toEqual(['a']);
    expect(keys.size).toBe(2);
  });
});
