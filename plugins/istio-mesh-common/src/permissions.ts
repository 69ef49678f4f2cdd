import { createPermission } from '@backstage/plugin-permission-common';

/** Reading mesh membership and cross-cluster endpoints. */
export const istioMeshReadPermission = createPermission({
  name: 'istio-mesh.read',
  attributes: { action: 'read' },
});

/** Changing a mesh: joining, removing a cluster, rotating its CA. */
export const istioMeshAdminPermission = createPermission({
  name: 'istio-mesh.admin',
  attributes: { action: 'update' },
});
export const istioMeshPermissions = [
  istioMeshReadPermission,
  istioMeshAdminPermission,
];
