import { formatTrustMatrix } from './trustMatrixLines';

describe('formatTrustMatrix', () => {
  it('lays out the grid and says each pair in words', () => {
    const spiffeId =
      'spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe';
    expect(
      formatTrustMatrix(
        ['east', 'west'],
        [
          {
            issuer: 'east',
            verifier: 'west',
            state: 'trusted',
            spiffeId,
            trustDomain: 'cluster.local',
            detail: "east's workloads are trusted by west",
          },
          {
            issuer: 'west',
            verifier: 'east',
            state: 'untrusted',
            spiffeId,
            trustDomain: 'cluster.local',
            detail:
              "west's workloads are not trusted by east: no root of the bundle signed it",
          },
        ],
      ),
    ).toEqual([
      'WORKLOADS OF \\ TRUSTED BY   east          west',
      'east                        -             trusted',
      'west                        NOT TRUSTED   -',
      `east's workloads are trusted by west (${spiffeId}, trust domain cluster.local)`,
      "west's workloads are not trusted by east: no root of the bundle signed it",
    ]);
  });
});
