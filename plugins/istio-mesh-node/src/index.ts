/**
 * The domain library of the Istio mesh plugins: certificates, manifests, remote secrets,
 * helm runner, cluster access and status.
 *
 * @packageDocumentation
 */
export * from './ca';
