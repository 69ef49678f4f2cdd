import { CLUSTER_SUITES, runsClusterSuites } from './testLayers';

describe('runsClusterSuites', () => {
  it('is true for a full run', () => {
    expect(runsClusterSuites(['/node_modules/'])).toBe(true);
  });

  it('is false once integration and browser suites are ignored, as yarn test:unit does', () => {
    expect(runsClusterSuites(['/node_modules/', CLUSTER_SUITES.source])).toBe(
      false,
    );
  });

  it('is true while the browser suite is still in', () => {
    expect(runsClusterSuites(['\\.integration\\.test\\.ts$'])).toBe(true);
  });
});
