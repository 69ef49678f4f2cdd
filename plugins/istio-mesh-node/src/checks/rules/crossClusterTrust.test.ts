import { issueWorkloadCertificate, makeMesh } from '../../ca/testing';
import { member } from '../__testUtils__/member';
import { crossClusterTrust, trustMatrix } from './crossClusterTrust';

const SPIFFE =
  'spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe';

describe('crossClusterTrust', () => {
  let members: ReturnType<typeof member>[];

  beforeAll(async () => {
    const mesh = await makeMesh(
      ['east', 'west', 'north'],
      { keySize: 2048 },
      { keySize: 2048 },
    );
    const foreign = await makeMesh(
      ['north'],
      { keySize: 2048 },
      { keySize: 2048 },
    );
    members = await Promise.all(
      ['east', 'west', 'north'].map(async name => {
        const bundle =
          name === 'north' ? foreign.bundles.north : mesh.bundles[name];
        return member(name, {
          rootCertPem: bundle.rootCert,
          istiodView: {
            probeCertificate: {
              spiffeId: SPIFFE,
              trustDomain: 'cluster.local',
              chainPem: await issueWorkloadCertificate(bundle),
            },
          },
        });
      }),
    );
  });

  it('trusts every pair under one root, naming the SPIFFE ID and trust domain', () => {
    const [east, west] = members;
    expect(
      trustMatrix([east, west]).map(p => [p.issuer, p.verifier, p.state]),
    ).toEqual([
      ['east', 'west', 'trusted'],
      ['west', 'east', 'trusted'],
    ]);
    expect(crossClusterTrust.judge([east, west])).toMatchObject({
      state: 'pass',
      detail: `each member's workload certificate is trusted by every other member: ${SPIFFE} (trust domain cluster.local)`,
    });
  });

  it('turns red exactly the pairs involving a member under a foreign root', () => {
    const pairs = trustMatrix(members);
    const untrusted = pairs
      .filter(p => p.state === 'untrusted')
      .map(p => `${p.issuer}->${p.verifier}`);
    expect(untrusted.sort()).toEqual(
      ['east->north', 'north->east', 'north->west', 'west->north'].sort(),
    );
    expect(crossClusterTrust.judge(members)).toMatchObject({
      state: 'fail',
      clusters: expect.arrayContaining(['east', 'west', 'north']),
      detail: expect.stringContaining(
        "north's workloads are not trusted by east: no root of the bundle signed",
      ),
    });
  });

  it("fails with istiod's reason when its CA issued nothing", () => {
    const [east, west] = members;
    const refused = {
      ...west,
      istiodView: {
        probeCertificate: { error: 'Unauthenticated: authenticate failure' },
      },
    };
    expect(crossClusterTrust.judge([east, refused])).toMatchObject({
      state: 'fail',
      detail: expect.stringContaining(
        "west's istiod issued no certificate: Unauthenticated: authenticate failure",
      ),
    });
  });

  it('is not asked when no istiod was, and says why', () => {
    const skipped = members.slice(0, 2).map(m => ({
      ...m,
      istiodView: undefined,
      istiodNotAsked: "skipped by the run's skipIstiodChecks input",
    }));
    expect(crossClusterTrust.judge(skipped)).toMatchObject({
      state: 'not-asked',
      detail:
        "east's istiod was not asked for a certificate (skipped by the run's skipIstiodChecks input); west's istiod was not asked for a certificate (skipped by the run's skipIstiodChecks input)",
    });
  });
});
