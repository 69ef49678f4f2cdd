import {
  demoAccounts,
  freePort,
  OidcAccount,
  startOidcIssuer,
} from '@istio-mesh/local-clusters';
import { randomBytes } from 'node:crypto';
import { OidcSettings } from './backendProcess';

/**
 * The local OIDC issuer for production backends, with the demo catalog's people, and
 * the ports those backends will listen on: the issuer knows each one's callback before
 * it starts, as a company's identity provider knows the portal's.
 */
export async function startProductionSignIn(backends: number) {
  const ports = await Promise.all(
    Array.from({ length: backends }, () => freePort()),
  );
  const accounts = demoAccounts();
  const client = {
    clientId: 'istio-mesh-portal',
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const issuer = await startOidcIssuer({
    accounts,
    clients: [
      {
        ...client,
        redirectUris: ports.map(
          p => `http://127.0.0.1:${p}/api/auth/oidc/handler/frame`,
        ),
      },
    ],
  });
  const sessionSecret = randomBytes(24).toString('base64url');
  const free = [...ports];
  const account = (login: string): OidcAccount =>
    accounts.find(a => a.login === login)!;
  return {
    /** ada, of the platform team: a mesh admin. */
    admin: account('ada'),
    /** bob, of an application team: reads the mesh only. */
    reader: account('bob'),
    /** The next unused port, and the sign-in its backend takes, as `as`. */
    next(as: OidcAccount = account('ada')): {
      port: number;
      oidc: OidcSettings;
    } {
      const port = free.shift();
      if (!port) throw new Error(`only ${backends} backend ports were set up`);
      return {
        port,
        oidc: {
          metadataUrl: issuer.metadataUrl,
          ...client,
          sessionSecret,
          account: as,
        },
      };
    },
    stop: () => issuer.stop(),
  };
}
