export {
  meshEnvironmentFromConfig,
  findCluster,
  istioVersionFor,
  refreshCredentials,
} from './meshEnvironment';
export type { MeshEnvironment } from './meshEnvironment';
