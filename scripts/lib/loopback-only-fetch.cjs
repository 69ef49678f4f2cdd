// Preloaded (node --require) into third-party tools that fetch on their own, such as
// @backstage/create-app, which fetches a yarn.lock seed from GitHub. This project's
// checks reach only loopback and the package registries through their own clients, so
// any other fetch fails at once, as it would offline, and the tool goes on without it.
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);
const fetchOnLoopback = globalThis.fetch;

globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!loopback.has(url.hostname)) {
    return Promise.reject(
      new TypeError(`fetch ${url.origin} refused: loopback only`),
    );
  }
  return fetchOnLoopback(input, init);
};
