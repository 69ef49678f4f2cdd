const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

/** The issuer's sign-in form for one interaction: a login and a password. */
export function loginPage(uid: string, client: string, error?: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in to the local issuer</title></head>
<body>
<h1>Sign in</h1>
<p>to ${escape(client)}, through the local OIDC issuer</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Login <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>`;
}
