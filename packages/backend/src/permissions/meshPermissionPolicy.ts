import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { istioMeshAdminPermission } from '@istio-mesh/plugin-istio-mesh-common';

const ADMINS_KEY = 'istioMesh.permissions.admins';

/** An entity ref as the identity's ownership refs carry it: kind:namespace/name, lowercase. */
const normalized = (ref: string) =>
  stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');

/**
 * The mesh admins from istioMesh.permissions.admins: groups (or single users) as catalog
 * entity refs. Refused at startup when missing or malformed, rather than leaving the
 * mesh open, or closed to everyone, by a typo.
 */
export function meshAdminsFromConfig(config: Config): string[] {
  const admins = config.getStringArray(ADMINS_KEY);
  if (admins.length === 0) {
    throw new Error(
      `${ADMINS_KEY} names nobody: list the groups that may change the mesh, e.g. [group:default/platform]`,
    );
  }
  return admins.map(ref => {
    try {
      return normalized(ref);
    } catch (e) {
      throw new Error(
        `${ADMINS_KEY}: ${JSON.stringify(ref)} is not an entity ref (${
          (e as Error).message
        })`,
      );
    }
  });
}

/**
 * The demo portal's permission policy, for adopters to copy into their own: changing
 * the mesh (istio-mesh.admin: every mesh template and action, dry runs included) only
 * for signed-in members of the configured groups; everything else, reading the mesh's
 * status included, for every signed-in user. Membership is read from the identity's
 * ownership refs, which the sign-in resolver fills from the catalog's memberOf.
 */
export class MeshPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly admins: string[],
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name !== istioMeshAdminPermission.name) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const admin = ownershipEntityRefs.some(ref =>
      this.admins.includes(ref.toLocaleLowerCase('en-US')),
    );
    return { result: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
}

/** Installs MeshPermissionPolicy as the permission backend's policy. */
export const meshPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'istio-mesh-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(
          new MeshPermissionPolicy(meshAdminsFromConfig(config), userInfo),
        );
      },
    });
  },
});
