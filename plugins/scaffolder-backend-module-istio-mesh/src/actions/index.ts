import { createCacertsAction } from './cacerts';
import { createCreateMeshAction } from './createMesh';
import { createCrossNetworkGatewayAction } from './crossNetworkGateway';
import { createHelmAction } from './helm';
import { createInstallAction } from './install';
import { MeshActionDeps } from './meshActionDeps';
import { createPreflightAction } from './preflight';
import { createRemoteSecretsAction } from './remoteSecrets';
import { createRemoveAction } from './remove';
import { createRotateCacertsAction } from './rotateCacerts';
import { createRotateRootAction } from './rotateRoot';
import { createValidateCacertsAction } from './validateCacerts';
import { createVerifyAction } from './verify';
import { createVerifyTrafficAction } from './verifyTraffic';
import { traceless } from './withoutTrace';

export type { MeshActionDeps } from './meshActionDeps';

/**
 * Every mesh action. "Add cluster to mesh" installs with istio:mesh:install, which
 * overlaps what istio:mesh:cacerts, istio:mesh:helm and
 * istio:mesh:cross-network-gateway do in turn; those stay for templates of your own.
 */
export function createMeshActions(deps: MeshActionDeps) {
  const actions = [
    createValidateCacertsAction(deps),
    createPreflightAction(deps),
    createCacertsAction(deps),
    createHelmAction(deps),
    createCrossNetworkGatewayAction(deps),
    createInstallAction(deps),
    createRemoteSecretsAction(deps),
    createVerifyAction(deps),
    createVerifyTrafficAction(deps),
    createRemoveAction(deps),
    createRotateCacertsAction(deps),
    createRotateRootAction(deps),
    createCreateMeshAction(deps),
  ];
  return actions.map(traceless);
}
