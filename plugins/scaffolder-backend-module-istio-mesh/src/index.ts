/**
 * Scaffolder actions that join a cluster to an Istio multi-primary, multi-network mesh.
 *
 * @packageDocumentation
 */
export { istioMeshScaffolderModule as default } from './module';
