import { createBackend } from '@backstage/backend-defaults';
import { meshPermissionPolicyModule } from './permissions/meshPermissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in answers in development only (app-config.development.yaml); production
// signs in through the company's identity provider by OpenID Connect.
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-permission-backend'));
// Only istioMesh.permissions.admins may change the mesh; see the policy to copy it.
backend.add(meshPermissionPolicyModule);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@istio-mesh/plugin-scaffolder-backend-module-istio-mesh'));
backend.add(import('@istio-mesh/plugin-istio-mesh-backend'));

backend.start();
