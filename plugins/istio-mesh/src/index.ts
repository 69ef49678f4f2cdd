/**
 * The Istio mesh frontend: a Mesh tab on catalog entities and a mesh overview. The
 * default export is for the legacy frontend system; `./alpha` is for the new one.
 *
 * @packageDocumentation
 */
export {
  istioMeshPlugin,
  IstioMeshPage,
  EntityIstioMeshContent,
  EntityIstioMeshClusterContent,
} from './plugin';
export { isKubernetesCluster, isMeshWorkload } from './entityFilters';
export { istioMeshApiRef } from './api';
