/**
 * The domain library of the Istio mesh plugins: certificates, manifests, remote secrets,
 * helm runner, cluster access and status. The scaffolder module, the status backend
 * and the CLI are thin shells over it.
 *
 * @packageDocumentation
 */

// Certificates: the mesh root, each cluster's cacerts, and root custody.
export { createRootCa } from './ca/rootCa';
export type { RootCa } from './ca/rootCa';
export { createIntermediateCa } from './ca/intermediateCa';
export { validateCacerts } from './ca/validateCacerts';
export type {
  CacertsFinding,
  CacertsReport,
  ValidateCacertsOptions,
} from './ca/validateCacerts';
export { CACERTS_FILES } from './ca/bundle';
export type { CacertsBundle, CacertsFile } from './ca/bundle';
export { readCacertsDir, writeCacertsDir, writeRootCaDir } from './ca/files';
export type { RootCaSigner, IntermediateSigningRequest } from './ca/signer';
export type { RootCaOptions, IntermediateCaOptions } from './ca/profile';
export { FileRootCaSigner } from './ca/custody/fileRootCaSigner';
export { KubernetesSecretRootCaSigner } from './ca/custody/kubernetesSecretRootCaSigner';
export type { KubernetesSecretRootCaLocation } from './ca/custody/kubernetesSecretRootCaSigner';
export type {
  RootCaConfig,
  RootCustody,
} from './ca/custody/rootCaSignerFromConfig';

// Cluster access and the environment every operation runs in.
export type {
  MeshCluster,
  ChartValues,
  GatewayExposure,
  LoadBalancerProvider,
} from './clusters/meshCluster';
export {
  meshClustersFromConfig,
  kubeRequestSecondsFromConfig,
} from './clusters/meshClustersFromConfig';
export {
  guardRequests,
  DEFAULT_KUBE_REQUEST_SECONDS,
} from './clusters/requestGuard';
export { meshInputProblems } from './mesh/inputChecks';
export { chartValuesProblems } from './join/chartValueKeys';
export { defaultCloudStrategies } from './clusters/cloudCredentials';
export {
  meshEnvironmentFromConfig,
  findCluster,
  istioVersionFor,
  refreshCredentials,
  stoppedBy,
} from './environment/meshEnvironment';
export type { MeshEnvironment } from './environment/meshEnvironment';
export { HelmRunner, HelmError } from './helm/helmRunner';
export type { HelmRunnerOptions, WaitedRelease } from './helm/helmRunner';
export type { HelmRelease, HelmInstall } from './helm/helmRunner';
export type { ChartSource } from './helm/chartSource';
export { RELEASES } from './mesh/names';
export type { ChartName } from './mesh/names';
export { MeshStepError, MeshWideStepError } from './mesh/errors';
export { readIstiodIdentity } from './mesh/istiodValues';
export type { IstiodIdentity } from './mesh/istiodValues';
export type { StepLog } from './progress/stepLog';

// Joining, leaving and rotating: the steps of the runbook.
export type { JoinRequest } from './join/joinRequest';
export { clusterNameOf, defaultNetworkOf } from './join/joinRequest';
export { planJoin } from './join/preflight';
export type { JoinPlan, PreflightMembers } from './join/preflight';
export type { MeshMember } from './join/members';
export { applyIstioSystemNamespace } from './join/namespace';
export { applyCacerts } from './join/cacerts';
export type { CacertsOptions } from './join/cacerts';
export { installCharts } from './join/charts';
export type { MeshIdentity } from './join/chartValues';
export { applyCrossNetworkGateway } from './join/crossNetworkGateway';
export { joinRemoteSecrets } from './join/remoteSecretsStep';
export { joinCluster } from './join/joinCluster';
export { clusterOfRef } from './mesh/clusterRef';
export { installMember } from './join/installMember';
export {
  createMesh,
  DEFAULT_INSTALL_CONCURRENCY,
  failedClustersError,
} from './join/createMesh';
export type { CreateMeshRequest, CreateMeshResult } from './join/createMesh';
export { verifyMesh } from './join/verify';
export type { MeshVerification } from './join/verify';
export { removeCluster } from './join/removeCluster';
export { ensureIstiodsFresh } from './join/istiodFreshness';
export type { RemoveRequest, RemoveResult } from './join/removeCluster';

// Status: the facts every check judges, the checks, and the services' endpoints.
export { readClusterMembership } from './status/clusterMembership';
export { meshViews } from './status/meshViews';
export { readMeshStatus } from './status/meshStatus';
export { DEFAULT_CLUSTER_TIMEOUT_SECONDS } from './status/clusterDeadline';
export { labelSelectorProblem } from './mesh/labelSelector';
export {
  readRemovedIntermediates,
  removedIntermediatesLocationFromConfig,
} from './status/removedIntermediates';
export type { RemovedIntermediatesLocation } from './status/removedIntermediates';
export { formatCertificateCalendar } from './status/calendarLines';
export {
  entityEndpoints,
  entityQueryProblems,
  MAX_SERVICES_PER_CLUSTER,
} from './status/entityEndpoints';
export { formatRemoteClusters } from './status/remoteClusters';
export { formatTrustMatrix } from './status/trustMatrixLines';
export { trustMatrix } from './checks/rules/crossClusterTrust';
export { meshRules, meshChecks } from './checks/meshRules';
export type { MeshRule, Verdict } from './checks/rule';

// Cross-cluster traffic: the runbook's closing check, judged by what istiod tells sidecars.
export { verifyCrossClusterTraffic } from './traffic/verifyTraffic';
export type { TrafficRequest } from './traffic/verifyTraffic';
export { formatRouteProof } from './traffic/routeLines';
export { DEFAULT_PROBE_IMAGES } from './traffic/probeManifests';

// Rotating the mesh root without downtime.
export { rotateMeshRoot } from './rotation/rotateRoot';
export { rotateClusterCa } from './rotation/rotateClusterCa';
export { meshTrustedRootsPem } from './rotation/meshRoots';
export type {
  RootRotationRequest,
  RootRotationResult,
} from './rotation/rotateRoot';
export { ROTATION_PHASES } from './ca/rootRotation';
export type { RotationPhase, MemberRotationState } from './ca/rootRotation';
