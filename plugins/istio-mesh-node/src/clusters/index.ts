export type { MeshCluster, ChartValues } from './meshCluster';
export { meshClustersFromConfig } from './meshClustersFromConfig';
export { withKubeconfigFile } from './kubeconfigFile';
export {
  defaultCloudStrategies,
  CLOUD_AUTH_PROVIDERS,
} from './cloudCredentials';
