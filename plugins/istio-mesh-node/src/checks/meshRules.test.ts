import {
  ClusterMembership,
  MeshCheckId,
} from '@istio-mesh/plugin-istio-mesh-common';
import { issueWorkloadCertificate, makeMesh } from '../ca/testing';
import { linked, member, synced } from './__testUtils__/member';
import { meshChecks, meshRules } from './meshRules';

/** What each member's istiod issued to the trust probe, and the root it publishes. */
const trust: Record<string, { rootCertPem: string; chainPem: string }> = {};

beforeAll(async () => {
  const mesh = await makeMesh(
    ['east', 'west'],
    { keySize: 2048 },
    { keySize: 2048 },
  );
  for (const name of ['east', 'west']) {
    trust[name] = {
      rootCertPem: mesh.root.certPem,
      chainPem: await issueWorkloadCertificate(mesh.bundles[name]),
    };
  }
});

const probeCertificate = (name: string) => ({
  spiffeId: 'spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe',
  trustDomain: 'cluster.local',
  chainPem: trust[name].chainPem,
});

const healthy = () =>
  linked([
    member('east', {
      rootCertPem: trust.east.rootCertPem,
      istiodView: {
        probeCertificate: probeCertificate('east'),
        clusters: [synced('west')],
        gateways: [
          {
            network: 'network-west',
            cluster: 'west',
            address: '127.1.0.4',
            port: 15443,
          },
        ],
      },
    }),
    member('west', {
      rootCertPem: trust.west.rootCertPem,
      istiodView: {
        probeCertificate: probeCertificate('west'),
        clusters: [synced('east')],
        gateways: [
          {
            network: 'network-east',
            cluster: 'east',
            address: '127.1.0.4',
            port: 15443,
          },
        ],
      },
    }),
  ]);

describe('meshChecks', () => {
  it('gives one check per rule, all passing on a healthy mesh', () => {
    const checks = meshChecks(healthy());
    expect(checks.map(c => c.id)).toEqual(meshRules.map(r => r.id));
    expect(checks.filter(c => c.state !== 'pass')).toEqual([]);
  });

  it.each<[MeshCheckId, Partial<ClusterMembership>]>([
    ['same-mesh-id', { meshId: 'mesh2' }],
    ['unique-cluster-names', { clusterName: 'Kubernetes' }],
    ['gateway-address', { gateway: { network: 'network-west', ports: [] } }],
    ['network-label', { namespaceNetwork: 'network-elsewhere' }],
  ])('fails %s on the member that breaks it', (id, broken) => {
    const [east, west] = healthy();
    const check = meshChecks([east, { ...west, ...broken }]).find(
      c => c.id === id,
    )!;
    expect(check.state).toBe('fail');
    expect(check.clusters).toContain('west');
    expect(check.fix).toBeTruthy();
  });

  it('leaves a member still joining to joins-finished, and judges the rest without it', () => {
    // A second join has installed istiod in cluster3 and waits for the mesh Lease.
    const checks = meshChecks([
      ...healthy(),
      member('cluster3', { joining: true }),
    ]);
    expect(checks.find(c => c.id === 'joins-finished')).toMatchObject({
      state: 'pending',
      clusters: ['cluster3'],
      detail: expect.stringMatching(
        /cluster3: Istio is installed and the remote secrets are not exchanged yet/,
      ),
    });
    expect(checks.filter(c => c.state === 'fail')).toEqual([]);
  });

  it('still says when a member still joining cannot be read', () => {
    const checks = meshChecks([
      ...healthy(),
      member('cluster3', { joining: true, reachable: false, error: 'refused' }),
    ]);
    expect(checks.find(c => c.id === 'members-reachable')).toMatchObject({
      state: 'fail',
      clusters: ['cluster3'],
    });
  });
});
