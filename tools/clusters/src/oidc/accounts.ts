import { randomBytes } from 'node:crypto';

/** Someone the local issuer signs in: a person of the demo catalog. */
export interface OidcAccount {
  /** What they type at the issuer's login form. */
  login: string;
  password: string;
  email: string;
  name: string;
}

/**
 * The demo catalog's people (examples/entities.yaml): ada is in the platform team, the
 * mesh admins; bob owns a service and may only read the mesh. Passwords are new every
 * time the issuer starts.
 */
export function demoAccounts(): OidcAccount[] {
  const password = () => randomBytes(12).toString('base64url');
  return [
    {
      login: 'ada',
      password: password(),
      email: 'ada@mesh.example',
      name: 'Ada Platform',
    },
    {
      login: 'bob',
      password: password(),
      email: 'bob@mesh.example',
      name: 'Bob Shop',
    },
  ];
}
