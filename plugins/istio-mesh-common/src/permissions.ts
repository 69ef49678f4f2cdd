import { createPermission } from '@backstage/plugin-permission-common';

/** Reading mesh membership and cross-cluster endpoints. */
export const istioMeshReadPermission = createPermission({
  name: 'istio-mesh.read',
  attributes: { action: 'read' },
});

export const istioMeshPermissions = [istioMeshReadPermission];
