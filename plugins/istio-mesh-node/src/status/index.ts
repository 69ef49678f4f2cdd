export { readClusterMembership } from './clusterMembership';
export { meshViews } from './meshViews';
export { entityEndpoints } from './entityEndpoints';
export { listMetadata } from './metadataList';
