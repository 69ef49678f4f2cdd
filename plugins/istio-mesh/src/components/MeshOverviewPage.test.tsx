import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { istioMeshApiRef } from '../api';
import { addClusterToMeshRouteRef } from '../routes';
import { east, membership, west } from '../__testUtils__/fixtures';
import { meshViewOf } from '../__testUtils__/meshView';
import { MeshOverviewPage } from './MeshOverviewPage';

function render(api: object) {
  return renderInTestApp(
    <TestApiProvider apis={[[istioMeshApiRef, api]]}>
      <MeshOverviewPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/create/templates/:namespace/:templateName': addClusterToMeshRouteRef,
      },
    },
  );
}

describe('MeshOverviewPage', () => {
  it('draws the topology by network, with the missing link broken', async () => {
    await render({ membership: async () => membership });
    const svg = await screen.findByTestId('mesh-topology');
    expect(svg.querySelectorAll('[data-network]')).toHaveLength(2);
    expect(svg.querySelectorAll('[data-cluster]')).toHaveLength(2);
    expect(svg.querySelector('[data-link="east-west"]')).toHaveAttribute(
      'data-state',
      'broken',
    );
    expect(screen.getByText('Members of mesh1')).toBeInTheDocument();
    expect(screen.getByText('Clusters outside any mesh')).toBeInTheDocument();
    expect(screen.getByText('down: ECONNREFUSED')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'east' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/east',
    );
    expect(
      screen.getByText('Remote clusters of east (istioctl remote-clusters)'),
    ).toBeInTheDocument();
  });

  it('shows where a root rotation stands, and the phase to run next', async () => {
    await render({
      membership: async () => ({
        meshes: [
          {
            ...meshViewOf('mesh1', [east, west]),
            rootRotation: {
              phase: 'trust-both' as const,
              next: 'Every member trusts both roots: run the reissue phase of Rotate mesh root.',
              members: [
                { cluster: 'east', state: 'trusts-both' as const },
                { cluster: 'west', state: 'trusts-both' as const },
              ],
            },
          },
        ],
        clusters: [east, west],
      }),
    });
    expect(
      await screen.findByText('Root rotation of mesh1: trust-both done'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every member trusts both roots: run the reissue phase of Rotate mesh root.',
      ),
    ).toHaveAttribute('data-root-rotation', 'trust-both');
  });

  it('shows the trust matrix, red for exactly the pairs with the member under a foreign root', async () => {
    const foreign = { ...west, cluster: 'foreign', clusterName: 'foreign' };
    const members = [east, west, foreign];
    await render({
      membership: async () => ({
        meshes: [meshViewOf('mesh1', members)],
        clusters: members,
      }),
    });
    const matrix = await screen.findByRole('table', {
      name: 'Trust matrix of mesh1',
    });
    const state = (pair: string) =>
      matrix
        .querySelector(`[data-trust="${pair}"]`)
        ?.getAttribute('data-state');
    expect(state('east-west')).toBe('trusted');
    expect(state('west-east')).toBe('trusted');
    for (const pair of [
      'east-foreign',
      'foreign-east',
      'west-foreign',
      'foreign-west',
    ])
      expect(state(pair)).toBe('untrusted');
    expect(state('east-east')).toBe('self');
    expect(
      screen.getByText(
        /Identity: spiffe:\/\/cluster.local\/ns\/istio-system\/sa\/istio-mesh-trust-probe \(trust domain cluster.local\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "foreign's workloads are not trusted by east: no root of the bundle signed it",
      ),
    ).toBeInTheDocument();
  });

  it('shows the certificate calendar, warning of the intermediate 12 days from expiry and listing the removed one', async () => {
    await render({ membership: async () => membership });
    const calendar = await screen.findByRole('table', {
      name: 'Certificate calendar of mesh1',
    });
    const rows = [...calendar.querySelectorAll('tbody tr')];
    expect(rows.map(r => r.getAttribute('data-role'))).toEqual([
      'intermediate',
      'removed-intermediate',
      'intermediate',
      'root',
    ]);
    expect(rows[0]).toHaveAttribute('data-state', 'expiring');
    expect(rows[1]).toHaveTextContent(
      'removed intermediate (removed 2026-11-20)',
    );
    expect(rows[1]).toHaveTextContent('gone');
    expect(
      screen.getByText(
        'intermediate O=Istio, CN=Intermediate CA, L=east of east expires in 12 days, on 2026-12-08',
      ),
    ).toBeInTheDocument();
  });

  it('says how to join when there is no mesh', async () => {
    await render({ membership: async () => ({ meshes: [], clusters: [] }) });
    expect(await screen.findByText('No mesh yet')).toBeInTheDocument();
  });

  it('shows the error when the API fails', async () => {
    await render({
      membership: async () => {
        throw new Error('istio-mesh status API: 500');
      },
    });
    expect(
      (await screen.findAllByText(/status API: 500/)).length,
    ).toBeGreaterThan(0);
  });
});
