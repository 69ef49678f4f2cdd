import {
  describeToldRoute,
  ProxyRoutes,
  RouteProof,
  ToldRoute,
} from '@istio-mesh/plugin-istio-mesh-common';

function routeLine(r: ToldRoute): string {
  const how = describeToldRoute(r);
  const count = `${r.endpoints} of ${r.expected} endpoint(s)`;
  const verdict = r.ok ? 'ok' : `FAIL: ${r.problem}; fix: ${r.fix}`;
  const left = r.leftOut
    ? `; ${r.leftOut.count} left out: ${r.leftOut.reason}`
    : '';
  return `  -> ${r.cluster} (${
    r.network ?? 'no network'
  }): ${how}, ${count}, ${verdict}${left}`;
}

/** One client's routes as lines: every member it can reach, and how. */
export function proxyRouteLines(client: ProxyRoutes): string[] {
  const head = `${client.proxy} in ${client.cluster} (${
    client.network ?? 'no network'
  })`;
  if (client.error) return [`${head}: FAIL: ${client.error}`];
  return [`${head}:`, ...client.routes.map(routeLine)];
}

/**
 * The route proof as the scaffolder log and the CLI print it.
 *
 * @public
 */
export function formatRouteProof(proof: RouteProof): string[] {
  return [
    `what istiod tells each client about ${proof.service}: ${
      proof.ok ? 'every route as expected' : 'FAILED'
    }`,
    ...proof.clients.flatMap(proxyRouteLines),
  ];
}
