import { ConfigReader } from '@backstage/config';
import {
  cacheTtlSecondsFromConfig,
  statusLimitsFromConfig,
} from './statusConfig';

const ttl = (cacheTtlSeconds?: number) =>
  cacheTtlSecondsFromConfig(
    new ConfigReader({ istioMesh: { status: { cacheTtlSeconds } } }),
  );

describe('cacheTtlSecondsFromConfig', () => {
  it('is 10 s by default, and takes 0 for no caching', () => {
    expect(ttl()).toBe(10);
    expect(ttl(0)).toBe(0);
    expect(ttl(2.5)).toBe(2.5);
  });

  it('refuses a negative value at startup', () => {
    expect(() => ttl(-1)).toThrow(
      'istioMesh.status.cacheTtlSeconds must be 0 (no caching) or a number of seconds above 0, not -1',
    );
  });
});

describe('statusLimitsFromConfig', () => {
  const limits = (status: Record<string, number>) =>
    statusLimitsFromConfig(new ConfigReader({ istioMesh: { status } }));

  it('bounds the cache and the fan-outs by default', () => {
    expect(limits({})).toEqual({
      maxCachedAnswers: 256,
      maxConcurrentReads: 4,
    });
    expect(limits({ maxConcurrentReads: 1 }).maxConcurrentReads).toBe(1);
  });

  it('refuses a bound that is not a whole number above 0', () => {
    expect(() => limits({ maxCachedAnswers: 0 })).toThrow(
      'istioMesh.status.maxCachedAnswers must be a whole number above 0, not 0',
    );
    expect(() => limits({ maxConcurrentReads: 1.5 })).toThrow(/not 1.5/);
  });
});
