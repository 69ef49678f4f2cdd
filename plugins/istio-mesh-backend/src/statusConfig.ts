import { RootConfigService } from '@backstage/backend-plugin-api';

/**
 * istioMesh.status.cacheTtlSeconds: 10 by default, 0 for no caching; a negative or
 * non-finite value is refused at startup rather than read as "forever".
 */
export function cacheTtlSecondsFromConfig(config: RootConfigService): number {
  const key = 'istioMesh.status.cacheTtlSeconds';
  const value = config.getOptionalNumber(key) ?? 10;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(
      `${key} must be 0 (no caching) or a number of seconds above 0, not ${value}`,
    );
  }
  return value;
}

/** The bounds on what the status API keeps and does at once, from istioMesh.status. */
export interface StatusLimits {
  /** Distinct endpoints answers kept in the cache; the oldest is dropped past it. */
  maxCachedAnswers: number;
  /** Endpoints fan-outs at once; a request for another is answered 429. */
  maxConcurrentReads: number;
}

export function statusLimitsFromConfig(
  config: RootConfigService,
): StatusLimits {
  const limit = (key: string, fallback: number) => {
    const value =
      config.getOptionalNumber(`istioMesh.status.${key}`) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `istioMesh.status.${key} must be a whole number above 0, not ${value}`,
      );
    }
    return value;
  };
  return {
    maxCachedAnswers: limit('maxCachedAnswers', 256),
    maxConcurrentReads: limit('maxConcurrentReads', 4),
  };
}
