import { V1Namespace } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { applyObject } from '../kube/apply';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import { readNamespace } from '../kube/readNamespace';
import { ISTIO_SYSTEM, MEMBER_LABEL, NETWORK_LABEL } from '../mesh/names';
import { MEMBER_LABEL_VALUES, MemberState } from '../mesh/memberState';
import { StepLog } from '../progress/stepLog';

/**
 * What a join's install labels istio-system with: a member that is joined again stays
 * one, so that a re-run does not take it out of other joins' exchanges; any other
 * cluster is joining until its exchange is done.
 */
export function memberLabelOnInstall(
  ns: V1Namespace | undefined,
): Record<string, string> {
  const labelled = ns?.metadata?.labels?.[MEMBER_LABEL];
  return {
    [MEMBER_LABEL]:
      labelled === MEMBER_LABEL_VALUES.member
        ? MEMBER_LABEL_VALUES.member
        : MEMBER_LABEL_VALUES.joining,
  };
}

export const readIstioSystem = (cluster: MeshCluster) =>
  readNamespace(cluster, ISTIO_SYSTEM);

/**
 * Labels istio-system with a member state, keeping its network label: both are
 * applied by one field manager, so a label left out would be dropped.
 */
export async function labelMemberState(run: {
  cluster: MeshCluster;
  state: Exclude<MemberState, 'joining'>;
  step: string;
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { cluster, state, step, dryRun, log } = run;
  const value = MEMBER_LABEL_VALUES[state];
  try {
    const ns = await readIstioSystem(cluster);
    if (!ns) return;
    const network = ns.metadata?.labels?.[NETWORK_LABEL];
    await applyObject(
      cluster.kubeConfig(),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ISTIO_SYSTEM,
          labels: {
            ...(network ? { [NETWORK_LABEL]: network } : {}),
            [MEMBER_LABEL]: value,
          },
        },
      },
      dryRun,
    );
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      step,
      `cannot label Namespace ${ISTIO_SYSTEM} ${MEMBER_LABEL}=${value} (${describeKubeError(
        e,
      )})`,
      'check the istioMesh credentials of this cluster, then re-run',
    );
  }
  log.info(
    `cluster ${cluster.name}: ${ISTIO_SYSTEM} ${
      dryRun ? 'would be' : 'is'
    } labelled ${MEMBER_LABEL}=${value}${
      state === 'left' ? '; Istio stays installed' : ''
    }`,
  );
}
