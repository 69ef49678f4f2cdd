import { V1Namespace } from '@kubernetes/client-node';
import { MEMBER_LABEL } from './names';

/**
 * Where a cluster stands, as its istio-system's member label says:
 * - member: its remote secrets were exchanged under the mesh Lease (or the label is
 *   absent: Istio was joined by hand or by an earlier version, and istiod decides);
 * - joining: a join installed Istio here and its exchange has not run yet, so other
 *   joins leave it to link itself, and the mesh checks wait for it;
 * - left: it was removed from the mesh and keeps Istio.
 */
export type MemberState = 'member' | 'joining' | 'left';

export const MEMBER_LABEL_VALUES: Record<MemberState, string> = {
  member: 'true',
  joining: 'joining',
  left: 'false',
};

/** The state a label value says; anything else is a member, as istiod says. */
export function memberStateOf(ns: V1Namespace | undefined): MemberState {
  const value = ns?.metadata?.labels?.[MEMBER_LABEL];
  if (value === MEMBER_LABEL_VALUES.left) return 'left';
  if (value === MEMBER_LABEL_VALUES.joining) return 'joining';
  return 'member';
}
