import {
  ClusterMembership,
  MeshCheckId,
  MeshHealthCheck,
} from '@istio-mesh/plugin-istio-mesh-common';

/**
 * What one rule finds about a mesh.
 *
 * @public
 */
export type Verdict = Omit<MeshHealthCheck, 'id' | 'title'>;

/**
 * One mesh check: a named rule over the members' facts, as the membership reader
 * reads them. Rules are pure, so each is tested on facts built by hand.
 *
 * @public
 */
export interface MeshRule {
  id: MeshCheckId;
  title: string;
  /**
   * The rule's facts come from istiod, which takes a while to catch up after a change;
   * verify polls these rules until they pass or time out.
   */
  asksIstiod: boolean;
  judge(members: ClusterMembership[]): Verdict;
}

/** The clusterName istiod knows a member by; the portal's name when none is set. */
export const clusterNameOf = (m: ClusterMembership) =>
  m.clusterName ?? m.cluster;

/** Pass with `ok`, or fail naming the failing clusters, the problem and its fix. */
export function verdict(
  failing: string[],
  found: { problem: string; ok: string; fix: string },
): Verdict {
  return failing.length
    ? {
        state: 'fail',
        detail: found.problem,
        fix: found.fix,
        clusters: failing,
      }
    : { state: 'pass', detail: found.ok, clusters: [] };
}
