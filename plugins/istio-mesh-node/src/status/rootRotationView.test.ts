import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import { joinPem } from '../ca/bundle';
import { makeMesh } from '../ca/testing';
import { rootRotationView } from './rootRotationView';

const FAST = { keySize: 2048 };

describe('rootRotationView', () => {
  it('tells trust-both from reissue by the root over each istiod’s intermediate, and says what runs next', async () => {
    const before = await makeMesh(['east', 'west'], FAST, FAST);
    const after = await makeMesh(['east', 'west'], FAST, FAST);
    const both = joinPem(before.root.certPem, after.root.certPem);
    const member = (
      cluster: string,
      rootCertPem: string,
      intermediate: string,
    ): ClusterMembership => ({
      cluster,
      reachable: true,
      remoteSecrets: [],
      rootCertPem,
      istiodView: {
        // The probe's chain: the leaf first; a stand-in leaf does here.
        probeCertificate: { chainPem: joinPem(intermediate, intermediate) },
      },
    });
    expect(
      rootRotationView([
        member('east', before.root.certPem, before.bundles.east.caCert),
        member('west', before.root.certPem, before.bundles.west.caCert),
      ]),
    ).toBeUndefined();
    expect(
      rootRotationView([
        member('east', both, before.bundles.east.caCert),
        member('west', both, before.bundles.west.caCert),
      ])?.phase,
    ).toBe('trust-both');
    const mixed = rootRotationView([
      member('east', both, after.bundles.east.caCert),
      member('west', both, before.bundles.west.caCert),
    ]);
    expect(mixed?.phase).toBe('mixed');
    expect(mixed?.next).toContain(
      'east is at reissued, west is at trusts-both',
    );
    expect(
      rootRotationView([
        member('east', both, after.bundles.east.caCert),
        member('west', both, after.bundles.west.caCert),
      ])?.next,
    ).toMatch(/run drop-old-root/);
  }, 60_000);
});
