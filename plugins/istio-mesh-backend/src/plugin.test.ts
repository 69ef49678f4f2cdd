import { startLoopbackBackend } from '@istio-mesh/local-clusters';
import { istioMeshPlugin } from './plugin';

describe('istio-mesh backend plugin', () => {
  it('answers its health check, and an empty membership with no clusters configured', async () => {
    const backend = await startLoopbackBackend([istioMeshPlugin], {
      kubernetes: { clusterLocatorMethods: [] },
    });
    try {
      const health = await fetch(`${backend.baseUrl}/api/istio-mesh/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const membership = await fetch(
        `${backend.baseUrl}/api/istio-mesh/membership`,
      );
      expect(membership.status).toBe(200);
      expect(await membership.json()).toEqual({ meshes: [], clusters: [] });
    } finally {
      await backend.stop();
    }
  });
});
