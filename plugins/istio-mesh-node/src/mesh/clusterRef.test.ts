import { clusterOfRef } from './clusterRef';

describe('clusterOfRef', () => {
  it.each([
    ['east', 'east'],
    ['resource:default/east', 'east'],
    ['Resource:default/east', 'east'],
    ['default/east', 'east'],
    ['resource:../east', '../east'],
    ['../east', '../east'],
  ])('reads %s as cluster %s', (ref, cluster) => {
    expect(clusterOfRef(ref)).toBe(cluster);
  });
});
