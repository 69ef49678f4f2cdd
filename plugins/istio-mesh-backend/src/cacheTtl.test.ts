import { ConfigReader } from '@backstage/config';
import { cacheTtlSecondsFromConfig } from './cacheTtl';

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
