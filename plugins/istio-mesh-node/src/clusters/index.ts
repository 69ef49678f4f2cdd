export type { MeshCluster, ChartValues } from './meshCluster';
export { meshClustersFromConfig } from './meshClustersFromConfig';
export { withKubeconfigFile } from './kubeconfigFile';
