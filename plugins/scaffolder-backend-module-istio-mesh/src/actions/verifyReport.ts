import {
  MeshHealthCheck,
  remoteClusterRows,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  formatRemoteClusters,
  formatTrustMatrix,
  MeshEnvironment,
  StepLog,
  verifyMesh,
} from '@istio-mesh/plugin-istio-mesh-node';

/**
 * Verifies the mesh and writes what Istio said into the task log: each istiod's remote
 * clusters as istioctl remote-clusters prints them, the trust matrix, and each check.
 */
export async function verifyAndReport(
  env: MeshEnvironment,
  options: { meshId: string; skipIstiodChecks?: boolean; log: StepLog },
): Promise<MeshHealthCheck[]> {
  const { log } = options;
  const { checks, members, trust } = await verifyMesh(env, options.meshId, {
    skipIstiodChecks: options.skipIstiodChecks,
    log,
  });
  for (const m of members.filter(x => x.istiodView?.clusters)) {
    log.info(
      [
        `remote clusters of ${m.cluster}'s istiod (as istioctl remote-clusters):`,
        ...formatRemoteClusters(remoteClusterRows(m)),
      ].join('\n'),
    );
  }
  log.info(
    [
      'trust between members, each proven with a workload certificate its istiod issued:',
      ...formatTrustMatrix(
        members.map(m => m.cluster),
        trust,
      ),
    ].join('\n'),
  );
  for (const c of checks) {
    const line = `${c.id}: ${c.state}, ${c.detail}${
      c.fix ? `; fix: ${c.fix}` : ''
    }`;
    if (c.state === 'pass') log.info(line);
    else log.warn(line);
  }
  return checks;
}

/** Ends the step with every failed check, its clusters and its finding. */
export function failOnFailedChecks(meshId: string, checks: MeshHealthCheck[]) {
  const failed = checks.filter(c => c.state === 'fail');
  if (failed.length) {
    throw new Error(
      `mesh ${meshId} failed ${failed.length} check(s): ${failed
        .map(c => `${c.id} (${c.clusters.join(', ')}): ${c.detail}`)
        .join('; ')}`,
    );
  }
}
