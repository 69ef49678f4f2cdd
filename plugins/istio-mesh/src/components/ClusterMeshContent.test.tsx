import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { istioMeshApiRef } from '../api';
import { east, membership, west } from '../__testUtils__/fixtures';
import { meshViewOf } from '../__testUtils__/meshView';
import { ClusterMeshContent } from './ClusterMeshContent';

const cluster = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name },
  spec: { type: 'kubernetes-cluster' },
});

function render(name: string, api: object) {
  return renderInTestApp(
    <TestApiProvider apis={[[istioMeshApiRef, api]]}>
      <EntityProvider entity={cluster(name)}>
        <ClusterMeshContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('ClusterMeshContent', () => {
  it("shows the membership card and this cluster's failing check", async () => {
    await render('west', { membership: async () => membership });
    expect(await screen.findByText('Mesh membership')).toBeInTheDocument();
    expect(screen.getByText('network-west')).toBeInTheDocument();
    expect(screen.getByText('east (missing)')).toBeInTheDocument();
    expect(
      screen.getByText('missing: west has no remote secret for east'),
    ).toBeInTheDocument();
  });

  it('lists the remote clusters its istiod reads, as istioctl remote-clusters does', async () => {
    await render('east', { membership: async () => membership });
    expect(
      await screen.findByText(
        'Remote clusters of east (istioctl remote-clusters)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('istio-system/istio-remote-secret-west'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('istiod-6b9f-east1')).toHaveLength(2);
  });

  it("shows the root and this cluster's own intermediate in its calendar", async () => {
    await render('west', { membership: async () => membership });
    const calendar = await screen.findByRole('table', {
      name: 'Certificate calendar of mesh1',
    });
    expect(
      [...calendar.querySelectorAll('tbody tr')].map(r =>
        r.getAttribute('data-role'),
      ),
    ).toEqual(['intermediate', 'root']);
    expect(calendar).toHaveTextContent('O=Istio, CN=Intermediate CA, L=west');
  });

  it('shows a removed cluster the intermediate the root still trusts', async () => {
    await render('gone', { membership: async () => membership });
    expect(
      await screen.findByText('gone is not in any mesh'),
    ).toBeInTheDocument();
    const calendar = screen.getByRole('table', {
      name: 'Certificate calendar of mesh1',
    });
    expect(
      [...calendar.querySelectorAll('tbody tr')].map(r =>
        r.getAttribute('data-role'),
      ),
    ).toEqual(['removed-intermediate', 'root']);
  });

  it('shows a down cluster as down', async () => {
    await render('ghost', { membership: async () => membership });
    expect(
      await screen.findByText(/Cluster ghost is down/),
    ).toBeInTheDocument();
  });

  it('says a cluster is joining while its remote secrets are not exchanged', async () => {
    const joining = { ...west, joining: true };
    await render('west', {
      membership: async () => ({
        meshes: [meshViewOf('mesh1', [east, joining])],
        clusters: [east, joining],
      }),
    });
    expect(
      await screen.findByText(
        'mesh1 (joining: remote secrets not exchanged yet)',
      ),
    ).toBeInTheDocument();
  });

  it('says how to join a cluster outside any mesh', async () => {
    await render('north', { membership: async () => membership });
    expect(
      await screen.findByText('north is not in any mesh'),
    ).toBeInTheDocument();
  });

  it('shows loading and errors', async () => {
    await render('east', { membership: () => new Promise(() => undefined) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });
});
