import { createApiRef } from '@backstage/core-plugin-api';
import { IstioMeshClient } from '@istio-mesh/plugin-istio-mesh-common';

/**
 * The one typed client the Mesh tabs and overview read through.
 *
 * @public
 */
export const istioMeshApiRef = createApiRef<
  Pick<IstioMeshClient, 'membership' | 'entityEndpoints'>
>({ id: 'plugin.istio-mesh.client' });
