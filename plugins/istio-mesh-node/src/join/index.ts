export type { JoinRequest } from './joinRequest';
export { clusterNameOf, defaultNetworkOf } from './joinRequest';
export { planJoin } from './preflight';
export type { JoinPlan } from './preflight';
export { applyIstioSystemNamespace } from './namespace';
export { applyCacerts } from './cacerts';
export type { CacertsOptions } from './cacerts';
export { installCharts, gatewayAddress } from './charts';
export { chartValues } from './chartValues';
export {
  applyCrossNetworkGateway,
  crossNetworkGatewayManifest,
} from './crossNetworkGateway';
export { joinRemoteSecrets } from './remoteSecretsStep';
export { verifyMesh } from './verify';
export { removeCluster } from './removeCluster';
export type { RemoveRequest } from './removeCluster';
export { readMembers } from './members';
export type { MeshMember } from './members';
export { withMeshLease, JOIN_LEASE } from './meshLease';
export { joinCluster } from './joinCluster';
