import { OidcAccount } from './accounts';

/** Cookies by host, as a browser keeps them for one sign-in. */
class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  take(url: string, res: Response) {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    this.byHost.set(host, jar);
  }

  header(url: string): string {
    const jar = this.byHost.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}

/**
 * Signs in to a Backstage backend through its OIDC provider and the local issuer, as a
 * browser does: the backend's start URL, the issuer's login form, the callback, then
 * the refresh call the app makes; its Backstage token. Cookies and redirects are
 * followed by hand, on loopback addresses only.
 */
export async function signInThroughOidc(
  backendUrl: string,
  account: Pick<OidcAccount, 'login' | 'password'>,
  options: { env?: string; origin?: string } = {},
): Promise<string> {
  const env = options.env ?? 'production';
  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const host = new URL(url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost') {
      throw new Error(`sign-in would leave loopback for ${url}`);
    }
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: jar.header(url) },
    });
    jar.take(url, res);
    return res;
  };
  const follow = async (res: Response, from: string): Promise<Response> => {
    let current = res;
    let url = from;
    for (let hops = 0; current.status >= 300 && current.status < 400; hops++) {
      if (hops > 10) throw new Error('too many redirects while signing in');
      url = new URL(current.headers.get('location')!, url).toString();
      await current.arrayBuffer();
      current = await go(url);
      (current as Response & { at?: string }).at = url;
    }
    (current as Response & { at?: string }).at = url;
    return current;
  };
  const start = `${backendUrl}/api/auth/oidc/start?env=${env}&scope=${encodeURIComponent(
    'openid profile email offline_access',
  )}${options.origin ? `&origin=${encodeURIComponent(options.origin)}` : ''}`;
  const form = await follow(await go(start), start);
  const formUrl = (form as Response & { at?: string }).at!;
  const action = /action="([^"]+)"/.exec(await form.text())?.[1];
  if (!action) {
    throw new Error(`the issuer showed no sign-in form at ${formUrl}`);
  }
  const submitUrl = new URL(action, formUrl).toString();
  const submitted = await go(submitUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      login: account.login,
      password: account.password,
    }).toString(),
  });
  if (submitted.status === 401) {
    throw new Error(`the issuer refused the sign-in of ${account.login}`);
  }
  const callback = await follow(submitted, submitUrl);
  const page = await callback.text();
  if (callback.status !== 200) {
    throw new Error(
      `the backend's OIDC callback answered ${callback.status}: ${page.slice(
        0,
        300,
      )}`,
    );
  }
  const refreshUrl = `${backendUrl}/api/auth/oidc/refresh?env=${env}`;
  const refreshed = await go(refreshUrl, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const body = (await refreshed.json()) as {
    backstageIdentity?: { token: string };
    error?: { message: string };
  };
  if (!body.backstageIdentity) {
    throw new Error(
      `no Backstage identity for ${account.login}: ${
        body.error?.message ?? refreshed.status
      }`,
    );
  }
  return body.backstageIdentity.token;
}
