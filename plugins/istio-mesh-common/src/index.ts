/**
 * Types, permissions and the status API client shared by the Istio mesh backend and
 * frontend.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './traffic';
export { remoteClusterRows } from './remoteClusters';
export type { RemoteClusterRow } from './remoteClusters';
export { IstioMeshClient } from './client';
export type { IstioMeshClientOptions } from './client';
