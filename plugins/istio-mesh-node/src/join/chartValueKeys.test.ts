import { chartValuesProblems } from './chartValueKeys';

describe('chartValuesProblems', () => {
  it('takes the values the local clusters and the README use', () => {
    expect(
      chartValuesProblems('east', {
        base: { base: { validationURL: 'https://127.0.0.1:1/validate' } },
        istiod: { pilot: { env: {} }, istiodRemote: {}, meshConfig: {} },
        gateway: { service: { type: 'LoadBalancer' }, labels: {} },
      }),
    ).toEqual([]);
  });

  it('names a misspelt key, an unknown chart and a value that is no map', () => {
    expect(
      chartValuesProblems('east', {
        istiod: { meshconfig: {} },
        gateways: {},
        base: 'x',
      }),
    ).toEqual([
      expect.stringMatching(
        /^istioMesh.clusters\[east\].chartValues.istiod.meshconfig is not a value of Istio's istiod chart/,
      ),
      expect.stringMatching(/chartValues.gateways: there is no such chart/),
      expect.stringMatching(/chartValues.base must be a map/),
    ]);
  });
});
