import { countAnswers, parseHelloAnswer } from './clientRequests';

describe('client requests', () => {
  it("reads the version and instance from helloworld's answer", () => {
    expect(
      parseHelloAnswer('Hello version: east, instance: helloworld-east-5d8f\n'),
    ).toEqual({ version: 'east', instance: 'helloworld-east-5d8f' });
    expect(parseHelloAnswer('upstream connect error')).toBeUndefined();
  });

  const members = [
    { cluster: 'east', clusterName: 'east' },
    { cluster: 'west', clusterName: 'cluster-west' },
  ];
  const client = { cluster: 'east', pod: 'curl-1' };

  it('passes when every member answered, counting by clusterName', () => {
    const result = countAnswers(
      client,
      [
        'Hello version: east, instance: a',
        'no healthy upstream',
        'Hello version: cluster-west, instance: b',
      ],
      members,
    );
    expect(result).toMatchObject({
      state: 'passed',
      attempts: 3,
      failures: 1,
      answeredBy: { east: 1, west: 1 },
    });
  });

  it('fails naming the members that never answered', () => {
    const result = countAnswers(
      client,
      ['Hello version: east, instance: a', 'Hello version: east, instance: a'],
      members,
    );
    expect(result.state).toBe('failed');
    expect(result.detail).toBe('no answer from west in 2 request(s)');
  });
});
