import {
  ClusterMembership,
  MeshHealthCheck,
} from '@istio-mesh/plugin-istio-mesh-common';
import { MeshRule } from './rule';
import { crossClusterTrust } from './rules/crossClusterTrust';
import { gatewayAddress } from './rules/gatewayAddress';
import { istiodKnowsGateways } from './rules/istiodKnowsGateways';
import { joinsFinished } from './rules/joinsFinished';
import { istiodReadsMembers } from './rules/istiodReadsMembers';
import { membersReachable } from './rules/membersReachable';
import { networkLabel } from './rules/networkLabel';
import { remoteSecretGraph } from './rules/remoteSecretGraph';
import { sameMeshId } from './rules/sameMeshId';
import { sameRoot } from './rules/sameRoot';
import { uniqueClusterNames } from './rules/uniqueClusterNames';

/**
 * The mesh checks, in the order they are shown: what Istio needs of a multi-primary,
 * multi-network mesh (docs/istio-procedure.md §8), then istiod's own view.
 *
 * @public
 */
export const meshRules: readonly MeshRule[] = [
  membersReachable,
  joinsFinished,
  sameRoot,
  sameMeshId,
  uniqueClusterNames,
  remoteSecretGraph,
  gatewayAddress,
  networkLabel,
  istiodReadsMembers,
  istiodKnowsGateways,
  crossClusterTrust,
];

/**
 * Runs every rule over one mesh's members. A member that cannot be read has no facts:
 * membersReachable fails for it. A member still joining has not exchanged its remote
 * secrets: joinsFinished says so. Every other rule judges the members that answered
 * and have joined.
 *
 * @public
 */
export function meshChecks(
  members: ClusterMembership[],
  rules: readonly MeshRule[] = meshRules,
): MeshHealthCheck[] {
  const answered = members.filter(m => m.reachable);
  const joined = answered.filter(m => !m.joining);
  const factsFor = (rule: MeshRule) => {
    if (rule === membersReachable) return members;
    if (rule === joinsFinished) return answered;
    return joined;
  };
  return rules.map(rule => ({
    id: rule.id,
    title: rule.title,
    ...rule.judge(factsFor(rule)),
  }));
}
