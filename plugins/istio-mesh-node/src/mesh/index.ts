export * from './names';
export { MeshStepError } from './errors';
export {
  meshEnvironmentFromConfig,
  findCluster,
  istioVersionFor,
  refreshCredentials,
} from './environment';
export type { MeshEnvironment } from './environment';
export { readIstiodIdentity } from './istiodValues';
export type { IstiodIdentity } from './istiodValues';
export {
  clusterNameProblem,
  networkNameProblem,
  meshIdProblem,
} from './validateNames';
