import {
  clusterNameProblem,
  meshIdProblem,
  networkNameProblem,
} from './validateNames';

describe('names', () => {
  it('takes DNS-1123 labels as cluster names, as istioctl does', () => {
    expect(clusterNameProblem('east-1')).toBeUndefined();
    expect(clusterNameProblem('East')).toMatch(/not a DNS-1123 label/);
    expect(clusterNameProblem('-east')).toMatch(/not a DNS-1123 label/);
    expect(clusterNameProblem('a'.repeat(64))).toMatch(/at most 63/);
  });

  it('takes label values as network names and mesh IDs', () => {
    expect(networkNameProblem('network_1.eu')).toBeUndefined();
    expect(networkNameProblem('net work')).toMatch(/not a valid label value/);
    expect(networkNameProblem('')).toMatch(/not a valid label value/);
    expect(meshIdProblem('mesh1')).toBeUndefined();
    expect(meshIdProblem('mesh/1')).toMatch(/not a valid label value/);
  });
});
