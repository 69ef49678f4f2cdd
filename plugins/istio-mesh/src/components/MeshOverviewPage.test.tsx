import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { istioMeshApiRef } from '../api';
import { addClusterToMeshRouteRef } from '../routes';
import { membership } from '../__testUtils__/fixtures';
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
