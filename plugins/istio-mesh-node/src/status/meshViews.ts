import {
  ClusterMembership,
  MeshView,
  RemovedIntermediate,
} from '@istio-mesh/plugin-istio-mesh-common';
import { certificateCalendar } from './certificateCalendar';
import { rootRotationView } from './rootRotationView';
import { meshChecks } from '../checks/meshRules';
import { trustMatrix } from '../checks/rules/crossClusterTrust';
import {
  holdsRemoteSecretFor,
  remoteSecretLinks,
} from '../checks/rules/remoteSecretGraph';

/**
 * Clusters grouped into meshes by their remote secrets: clusters linked either way are
 * one mesh, whatever their meshIDs say, so a mismatched meshID shows as a failed check
 * instead of a second mesh. Clusters without istiod belong to none. Each mesh's
 * certificate calendar lists the removed intermediates recorded for it.
 *
 * @public
 */
export function meshViews(
  clusters: ClusterMembership[],
  context: {
    /** The removal records (readRemovedIntermediates), or why they could not be read. */
    removed: { records: RemovedIntermediate[]; error?: string };
    now: Date;
  },
): MeshView[] {
  const installed = clusters.filter(c => c.meshId);
  const group = new Map(installed.map(c => [c.cluster, c.cluster]));
  const find = (x: string): string =>
    group.get(x) === x ? x : find(group.get(x)!);
  for (const from of installed) {
    for (const to of installed) {
      if (to !== from && holdsRemoteSecretFor(from, to))
        group.set(find(from.cluster), find(to.cluster));
    }
  }
  const components = new Map<string, ClusterMembership[]>();
  for (const c of installed) {
    const root = find(c.cluster);
    components.set(root, [...(components.get(root) ?? []), c]);
  }
  return [...components.values()]
    .map(members => {
      const counts = new Map<string, number>();
      for (const m of members)
        counts.set(m.meshId!, (counts.get(m.meshId!) ?? 0) + 1);
      const meshId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      // A member that is down keeps its place, but has no facts to link or trust by.
      const answered = members.filter(m => m.reachable);
      const rootRotation = rootRotationView(members);
      return {
        meshId,
        members,
        checks: meshChecks(members),
        links: remoteSecretLinks(answered),
        trust: trustMatrix(answered),
        calendar: certificateCalendar(
          members,
          context.removed,
          meshId,
          context.now,
        ),
        ...(rootRotation ? { rootRotation } : {}),
      };
    })
    .sort((a, b) => a.meshId.localeCompare(b.meshId));
}
