import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { istioMeshApiRef } from '../api';
import { addClusterToMeshRouteRef } from '../routes';
import { endpoints } from '../__testUtils__/fixtures';
import { EntityMeshContent } from './EntityMeshContent';

const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    annotations: {
      'backstage.io/kubernetes-id': 'reviews',
      'backstage.io/kubernetes-namespace': 'mesh-demo',
    },
  },
  spec: {},
};

function render(api: object, entity: Entity = reviews) {
  return renderInTestApp(
    <TestApiProvider apis={[[istioMeshApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityMeshContent />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/create/templates/:namespace/:templateName': addClusterToMeshRouteRef,
      },
    },
  );
}

describe('EntityMeshContent', () => {
  it('shows a row per service and cluster, with the route from each network', async () => {
    await render({ entityEndpoints: async () => endpoints });
    expect(
      await screen.findByText('Services across the mesh'),
    ).toBeInTheDocument();
    // Two rows here, two more in the istiod cross-check.
    expect(screen.getAllByText('bookinfo/reviews')).toHaveLength(4);
    expect(screen.getByText('1/1')).toBeInTheDocument();
    expect(
      screen.getByText('from network-west: via 127.1.0.2:15443'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('from network-east: local')).toHaveLength(1);
    expect(
      screen.getByText('from network-east: left out: not injected (1)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Down: ghost (ECONNREFUSED)')).toBeInTheDocument();
  });

  it("shows each istiod's endpoints against ours, with its verdict", async () => {
    await render({ entityEndpoints: async () => endpoints });
    expect(await screen.findByText('istiod cross-check')).toBeInTheDocument();
    expect(screen.getByText('agrees')).toBeInTheDocument();
    expect(
      screen.getByText('disagrees: Kubernetes/east: istiod 0, ours 2'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('Kubernetes/east: 2, Kubernetes/west: 1'),
    ).toHaveLength(3);
  });

  it('shows what a sidecar in each cluster is told, a wrong route red with its fix', async () => {
    await render({ entityEndpoints: async () => endpoints });
    expect(
      await screen.findByText('What sidecars are told'),
    ).toBeInTheDocument();
    expect(screen.getByText('reviews-v1-7d9f.bookinfo')).toBeInTheDocument();
    expect(
      screen.getByText(
        /east: direct to 10\.100\.0\.3:9080, 10\.100\.0\.4:9080 \(2 of 2\): told east's pod addresses directly, across networks.*Fix: label the east-west gateway Service in east with topology\.istio\.io\/network=network-east/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /^1 left out: 1 of 1 endpoint\(s\) in west have no sidecar/,
      ),
    ).toBeInTheDocument();
    expect(
      document.querySelector('[data-routes-told="disagrees"]'),
    ).toHaveTextContent('1 route(s) not as expected');
  });

  it('leaves the cross-check out when no istiod can be asked', async () => {
    await render({
      entityEndpoints: async () => ({ ...endpoints, istiodCrossChecks: [] }),
    });
    expect(
      await screen.findByText('Services across the mesh'),
    ).toBeInTheDocument();
    expect(screen.queryByText('istiod cross-check')).not.toBeInTheDocument();
  });

  it('shows loading while the API answers', async () => {
    await render({ entityEndpoints: () => new Promise(() => undefined) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the API fails', async () => {
    await render({
      entityEndpoints: async () => {
        throw new Error('istio-mesh status API: 403 Forbidden');
      },
    });
    expect(
      (await screen.findAllByText(/403 Forbidden/)).length,
    ).toBeGreaterThan(0);
  });

  it('says how to join when no service runs in the mesh', async () => {
    await render({
      entityEndpoints: async () => ({
        endpoints: [],
        istiodCrossChecks: [],
        routesTold: [],
        unreachable: [],
      }),
    });
    expect(await screen.findByText('Not in any mesh')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Add cluster to mesh/ }),
    ).toHaveAttribute('href', '/create/templates/default/add-cluster-to-mesh');
  });

  it('asks for the kubernetes annotations when the entity has none', async () => {
    await render(
      { entityEndpoints: async () => endpoints },
      { ...reviews, metadata: { name: 'reviews' } },
    );
    expect(
      await screen.findByText('No Kubernetes workloads'),
    ).toBeInTheDocument();
  });

  it('asks for the namespace annotation, and does not ask the API without it', async () => {
    const entityEndpoints = jest.fn(async () => endpoints);
    await render(
      { entityEndpoints },
      {
        ...reviews,
        metadata: {
          name: 'reviews',
          annotations: { 'backstage.io/kubernetes-id': 'reviews' },
        },
      },
    );
    expect(
      await screen.findByText('No Kubernetes namespace'),
    ).toBeInTheDocument();
    expect(entityEndpoints).not.toHaveBeenCalled();
  });
});
