import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading mesh membership and cross-cluster endpoints.
 *
 * @public
 */
export const istioMeshReadPermission = createPermission({
  name: 'istio-mesh.read',
  attributes: { action: 'read' },
});

/**
 * Changing a mesh: joining, removing a cluster, rotating its CA.
 *
 * @public
 */
export const istioMeshAdminPermission = createPermission({
  name: 'istio-mesh.admin',
  attributes: { action: 'update' },
});
/** @public */
export const istioMeshPermissions = [
  istioMeshReadPermission,
  istioMeshAdminPermission,
];
