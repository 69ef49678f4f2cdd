import {
  startScaffolder,
  TaskRun,
} from '../plugins/scaffolder-backend-module-istio-mesh/src/__testUtils__/scaffolderHarness';

type Scaffolder = Awaited<ReturnType<typeof startScaffolder>>;

/**
 * One "Add cluster to mesh" task (or a variant of it) to its end; a failed one ends
 * the benchmark with its log. The runbook's numbers stop before its traffic check, and
 * so do these.
 */
export async function joinThroughTemplate(
  scaffolder: Scaffolder,
  cluster: string,
  template = 'add-cluster-to-mesh',
): Promise<TaskRun> {
  const run = await scaffolder.run(template, {
    cluster: `resource:default/${cluster}`,
    meshId: 'mesh1',
    verifyTraffic: false,
  });
  if (run.status !== 'completed') {
    throw new Error(`join of ${cluster} ${run.status}:\n${run.log.join('\n')}`);
  }
  return run;
}
