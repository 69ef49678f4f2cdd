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
