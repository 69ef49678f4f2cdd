/** The suites that need the local clusters, by file name; every other test is a unit test. */
export const CLUSTER_SUITES = /\.(integration|browser)\.test\.tsx?$/;

/**
 * Whether a Jest run whose ignore patterns are `ignored` can still pick up a suite
 * that needs the clusters.
 */
export function runsClusterSuites(ignored: string[] = []): boolean {
  const samples = ['src/a.integration.test.ts', 'src/a.browser.test.ts'];
  return samples.some(file => !ignored.some(p => new RegExp(p).test(file)));
}
