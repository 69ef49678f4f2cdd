/**
 * istio-mesh: the mesh work that must not run in the portal, such as making the root
 * CA offline.
 *
 * @packageDocumentation
 */
export { main, run } from './main';
