export { up, down, clusterNames } from './main';
export { binaries } from './toolchain';
export type { Binaries } from './toolchain';
export type { ClusterState } from './cluster';
export { kubeconfigPath } from './paths';
export {
  runningClusters,
  kubeConfigFor,
  harnessPids,
  offLoopbackConnections,
  stopApiServer,
  restartApiServer,
  istiodDebugUrl,
  istiodLog,
  istiodMountedFile,
  scaleIstiod,
  waitForIstiod,
  setGatewayNetworkLabel,
  serviceAccountAccess,
  remoteSecretNames,
} from './testing/clusters';
export { freePort } from './ports';
export {
  apiServerOpenStreams,
  apiServerRequests,
} from './testing/apiServerRequests';
export { appConfigFragmentPath } from './paths';
export { localMeshConfig } from './testing/localMeshConfig';
export { resetIstio } from './testing/resetIstio';
export { lockClusters, CLUSTERS_TURN_TIMEOUT_MS } from './testing/suiteLock';
export { startLoopbackBackend } from './testing/loopbackBackend';
export { startStallingProxy, kubeConfigAt } from './testing/stallingProxy';
export type { StallingProxy } from './testing/stallingProxy';
export { startPrefixProxy } from './testing/prefixProxy';
export { deployDemo } from './demo';
export { standinPids } from './sidecars/paths';
export {
  startLocalPostgres,
  stopLocalPostgres,
} from './postgres/localPostgres';
export type { LocalPostgres } from './postgres/localPostgres';
export { startOidcIssuer } from './oidc/issuerProcess';
export type { LocalOidc, OidcClient } from './oidc/localOidc';
export { demoAccounts } from './oidc/accounts';
export type { OidcAccount } from './oidc/accounts';
export { signInThroughOidc } from './oidc/signIn';
