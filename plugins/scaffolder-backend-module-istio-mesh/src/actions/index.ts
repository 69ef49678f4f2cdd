import { createCacertsAction } from './cacerts';
import { createCreateMeshAction } from './createMesh';
import { createCrossNetworkGatewayAction } from './crossNetworkGateway';
import { createHelmAction } from './helm';
import { MeshActionDeps } from './meshActionDeps';
import { createPreflightAction } from './preflight';
import { createRemoteSecretsAction } from './remoteSecrets';
import { createRemoveAction } from './remove';
import { createRotateCacertsAction } from './rotateCacerts';
import { createValidateCacertsAction } from './validateCacerts';
import { createVerifyAction } from './verify';
import { createVerifyTrafficAction } from './verifyTraffic';

export type { MeshActionDeps } from './meshActionDeps';

/**
 * Every mesh action, in the order the "Add cluster to mesh" template runs them, then
 * the other templates' own.
 */
export function createMeshActions(deps: MeshActionDeps) {
  return [
    createValidateCacertsAction(),
    createPreflightAction(deps),
    createCacertsAction(deps),
    createHelmAction(deps),
    createCrossNetworkGatewayAction(deps),
    createRemoteSecretsAction(deps),
    createVerifyAction(deps),
    createVerifyTrafficAction(deps),
    createRemoveAction(deps),
    createRotateCacertsAction(deps),
    createCreateMeshAction(deps),
  ];
}
