import { meshInputProblems } from './inputChecks';

describe('meshInputProblems', () => {
  it('accepts what the templates send, empty optional fields included', () => {
    expect(
      meshInputProblems({
        cluster: 'east',
        clusterName: '',
        meshId: 'mesh1',
        network: 'network-east',
        istioVersion: '1.30.2',
        revision: '',
        clusters: ['east', 'west'],
        concurrency: 4,
        dryRun: false,
      }),
    ).toEqual([]);
  });

  it.each([
    ['istioVersion', '../../x', /not a chart version/],
    ['istioVersion', '~1.30', /not a chart version/],
    ['istioVersion', '1.30.x', /not a chart version/],
    ['istioVersion', '1.30.2/../..', /not a chart version/],
    ['meshId', 'mesh"1', /not a valid label value/],
    ['network', 'net\nwork', /not a valid label value/],
    ['clusterName', 'East', /not a DNS-1123 label/],
    ['cluster', '', /not a DNS-1123 label/],
    ['namespace', 'a/b', /not a DNS-1123 label/],
    ['curlImage', 'curl; rm -rf /', /not an image reference/],
    ['meshId', ['mesh1'], /must be a string, not an array/],
    ['network', { a: 1 }, /must be a string, not an object/],
    ['dryRun', 'false', /must be true or false, not a string/],
    [
      'clusters',
      'east,west',
      /must be an array of cluster names, not a string/,
    ],
    ['clusters', ['east'], /from 2 to 100 clusters, not 1/],
    ['clusters', ['east', '../west'], /clusters\[1\]: .*not a DNS-1123 label/],
    ['clusters', ['east', 7], /clusters\[1\] must be a string, not a number/],
    ['clusters', ['east', 'west', 'east'], /names "east" more than once/],
    [
      'clusters',
      ['east', 'resource:default/east'],
      /names "east" more than once/,
    ],
    ['clusters', ['east', 'resource:default/We st'], /not a DNS-1123 label/],
    ['concurrency', 0, /whole number from 1 to 16, not 0/],
    ['concurrency', 2.5, /whole number from 1 to 16/],
    ['concurrency', '4', /whole number from 1 to 16, not "4"/],
  ])('refuses %s %j', (key, value, problem) => {
    const problems = meshInputProblems({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^input ${key}`));
    expect(problems[0]).toMatch(problem);
  });
});
