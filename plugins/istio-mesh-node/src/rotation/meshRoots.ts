import { sameCertificates } from '../ca/certificateFacts';
import { MeshEnvironment } from '../environment/meshEnvironment';
import { readMembers } from '../join/members';
import { MeshWideStepError } from '../mesh/errors';
import { StepLog } from '../progress/stepLog';
import { publishedRoots } from '../trust/publishedRoots';

/**
 * The roots a mesh trusts now, as PEM: the bundle every member's istiod publishes.
 * Members that disagree are named: the mesh is in a root rotation, or split.
 *
 * @public
 */
export async function meshTrustedRootsPem(
  env: MeshEnvironment,
  meshId: string,
  log: StepLog,
): Promise<string> {
  const step = 'mesh roots';
  const { members } = await readMembers(env.clusters, { step, log });
  const published = await Promise.all(
    members
      .filter(m => m.meshId === meshId)
      .map(async m => ({
        cluster: m.cluster.name,
        roots: await publishedRoots(m.cluster),
      })),
  );
  const known = published.filter(p => p.roots.length > 0);
  if (known.length === 0) {
    throw new MeshWideStepError(
      meshId,
      step,
      `no member of mesh ${meshId} publishes a root (ConfigMap istio-system/istio-ca-root-cert)`,
      'name the mesh ID its members were installed with, and check that their istiods run',
    );
  }
  const odd = known.filter(p => !sameCertificates(p.roots, known[0].roots));
  if (odd.length) {
    throw new MeshWideStepError(
      meshId,
      step,
      `the members publish different roots (${known[0].cluster} and ${odd
        .map(p => p.cluster)
        .join(', ')} differ)`,
      'finish the root rotation under way, or bring the odd members back to the mesh root',
    );
  }
  return known[0].roots.map(r => r.toString()).join('');
}
