import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { OidcAccount } from './accounts';
import { loginPage } from './loginPage';

/** A client the issuer knows: the portal's backend, with its callback address. */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** A running issuer on 127.0.0.1. */
export interface LocalOidc {
  issuer: string;
  /** The discovery document Backstage's OIDC provider reads. */
  metadataUrl: string;
  stop(): Promise<void>;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/**
 * A real OpenID Connect issuer (the oidc-provider package, certified by the OpenID
 * Foundation) listening on 127.0.0.1, standing in for the identity provider a company
 * runs: the authorization code flow, its own sign-in form over the given accounts,
 * signed ID tokens with email and name. The portal is a first-party client, so no
 * consent screen: the grant for openid, email and profile is given at sign-in.
 */
export async function startLocalOidc(options: {
  accounts: OidcAccount[];
  clients: OidcClient[];
  port?: number;
}): Promise<LocalOidc> {
  const { Provider } = await import('oidc-provider');
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const byLogin = new Map(options.accounts.map(a => [a.login, a]));
  const signingKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    clients: options.clients.map(c => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: { keys: [{ ...signingKey, kid: 'local', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 86_400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 86_400,
    },
    pkce: { required: () => false },
    // The portal keeps its users signed in by refreshing, as with any company IdP.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    findAccount: async (_ctx, sub) => {
      const account = byLogin.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
        }),
      };
    },
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { session, client, provider } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid email profile offline_access');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const oidc = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const client = String(details.params.client_id);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(loginPage(details.uid, client));
      return;
    }
    const form = await readForm(req);
    const account = byLogin.get(form.get('login') ?? '');
    if (!account || account.password !== form.get('password')) {
      res.statusCode = 401;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        loginPage(details.uid, client, 'Unknown login or wrong password'),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.login } },
      { mergeWithLastSubmission: false },
    );
  };

  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch(e => {
        res.statusCode = 400;
        res.end(`sign-in failed: ${(e as Error).message}`);
      });
    } else {
      oidc(req, res);
    }
  });
  return {
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
