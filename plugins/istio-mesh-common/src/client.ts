import { ResponseError } from '@backstage/errors';
import {
  EntityEndpointsResponse,
  EntityWorkloadQuery,
  MembershipResponse,
} from './types';

/**
 * The parts of Backstage's discovery and fetch APIs the client needs.
 *
 * @public
 */
export interface IstioMeshClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi: { fetch: typeof fetch };
}

/**
 * The typed client of the istio-mesh status API, for the frontend and for tests.
 *
 * @public
 */
export class IstioMeshClient {
  constructor(private readonly options: IstioMeshClientOptions) {}

  async membership(): Promise<MembershipResponse> {
    return this.get('/membership');
  }

  async entityEndpoints(
    query: EntityWorkloadQuery,
  ): Promise<EntityEndpointsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value) params.set(key, value);
    }
    return this.get(`/endpoints?${params}`);
  }

  private async get<T>(path: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('istio-mesh');
    const res = await this.options.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
