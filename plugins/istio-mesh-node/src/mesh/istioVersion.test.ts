import { istioVersionProblem } from './istioVersion';

describe('istioVersionProblem', () => {
  it('accepts releases from 1.24 and development builds', () => {
    expect(istioVersionProblem('1.24.0')).toBeUndefined();
    expect(istioVersionProblem('1.30.2')).toBeUndefined();
    expect(istioVersionProblem('1.31.0-dev-eed52ebb66ad')).toBeUndefined();
  });

  it('refuses older releases and non-versions', () => {
    expect(istioVersionProblem('1.20.3')).toMatch(/older than 1.24/);
    expect(istioVersionProblem('latest')).toMatch(/not a chart version/);
  });
});
