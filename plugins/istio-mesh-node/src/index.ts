/**
 * The domain library of the Istio mesh plugins: certificates, manifests, remote secrets,
 * helm runner, cluster access and status.
 *
 * @packageDocumentation
 */
export * from './ca';
export * from './clusters';
export * from './helm';
export * from './istiod';
export * from './mesh';
export * from './environment';
export * from './join';
export * from './remoteSecrets';
export { applyObject, describeObject } from './kube/apply';
export type { ApplyResult } from './kube/apply';
export * from './status';
export * from './checks';
export * from './progress';
