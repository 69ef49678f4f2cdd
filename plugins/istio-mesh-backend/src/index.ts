/**
 * The Istio mesh status API.
 *
 * @packageDocumentation
 */
export { istioMeshPlugin as default } from './plugin';
