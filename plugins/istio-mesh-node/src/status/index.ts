export { readClusterMembership } from './clusterMembership';
export { meshChecks, meshViews, remoteSecretLinks } from './meshChecks';
export { entityEndpoints } from './entityEndpoints';
export { listMetadata } from './metadataList';
