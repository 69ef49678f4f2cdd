import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { istioMeshPlugin } from './plugin';

describe('istio-mesh backend plugin', () => {
  it('answers its health check without credentials', async () => {
    const { server } = await startTestBackend({ features: [istioMeshPlugin] });
    const response = await request(server).get('/api/istio-mesh/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
