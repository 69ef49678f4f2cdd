import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  istioMeshAdminPermission,
  istioMeshReadPermission,
} from '@istio-mesh/plugin-istio-mesh-common';
import {
  meshAdminsFromConfig,
  MeshPermissionPolicy,
} from './meshPermissionPolicy';

const memberships: Record<string, string[]> = {
  'user:default/ada': ['user:default/ada', 'group:default/platform'],
  'user:default/bob': ['user:default/bob', 'group:default/shop'],
};

const policy = new MeshPermissionPolicy(['group:default/platform'], {
  getUserInfo: async credentials => {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: memberships[ref] };
  },
});

const asUser = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [] },
});

describe('MeshPermissionPolicy', () => {
  it('lets only members of the admin groups change the mesh', async () => {
    const query = { permission: istioMeshAdminPermission };
    expect(await policy.handle(query, asUser('user:default/ada'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle(query, asUser('user:default/bob'))).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle(query)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets every signed-in user read the mesh and do the rest', async () => {
    for (const permission of [
      istioMeshReadPermission,
      createPermission({ name: 'catalog.entity.read', attributes: {} }),
    ]) {
      expect(
        await policy.handle({ permission }, asUser('user:default/bob')),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});

describe('meshAdminsFromConfig', () => {
  const admins = (value: string[]) =>
    meshAdminsFromConfig(
      new ConfigReader({ istioMesh: { permissions: { admins: value } } }),
    );

  it('reads entity refs, a bare name being a group of the default namespace', () => {
    expect(admins(['Group:default/Platform', 'sre', 'user:ops/ada'])).toEqual([
      'group:default/platform',
      'group:default/sre',
      'user:ops/ada',
    ]);
  });

  it('refuses no admins at all, and a ref that is not one', () => {
    expect(() => admins([])).toThrow(/names nobody/);
    expect(() => meshAdminsFromConfig(new ConfigReader({}))).toThrow(
      /istioMesh.permissions.admins/,
    );
    expect(() => admins(['group:'])).toThrow(/is not an entity ref/);
  });
});
