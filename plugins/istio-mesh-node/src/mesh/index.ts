export * from './names';
export { MeshStepError } from './errors';
export { readIstiodIdentity } from './istiodValues';
export type { IstiodIdentity } from './istiodValues';
export {
  clusterNameProblem,
  networkNameProblem,
  meshIdProblem,
} from './validateNames';
