import { ChartName, EASTWEST_GATEWAY } from '../mesh/names';

type Values = Record<string, unknown>;

function isObject(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge; ours wins, and a user value that contradicts ours is an error. */
function mergeOwned(user: Values, owned: Values, path: string[] = []): Values {
  const out: Values = { ...user };
  for (const [key, value] of Object.entries(owned)) {
    const here = [...path, key];
    if (isObject(value)) {
      const theirs = user[key] ?? {};
      if (!isObject(theirs)) {
        throw new Error(`chart value ${here.join('.')} must be a map`);
      }
      out[key] = mergeOwned(theirs, value, here);
    } else {
      if (key in user && user[key] !== value) {
        throw new Error(
          `chart value ${here.join('.')} is set to ${JSON.stringify(
            user[key],
          )}, but the join sets it to ${JSON.stringify(
            value,
          )}: remove it from the cluster's chartValues`,
        );
      }
      out[key] = value;
    }
  }
  return out;
}

/** @public */
export interface MeshIdentity {
  meshId: string;
  clusterName: string;
  network: string;
}

/**
 * The values each chart gets: the cluster's own chartValues, plus the multi-network
 * settings of docs/istio-procedure.md §3, which nothing may override. clusterName is
 * camelCase: the istiod chart has no schema, so a misspelt key would silently leave
 * CLUSTER_ID at "Kubernetes".
 */
export function chartValues(
  chart: ChartName,
  identity: MeshIdentity,
  user: Values = {},
): Values {
  switch (chart) {
    case 'base':
      return mergeOwned(user, {});
    case 'istiod':
      return mergeOwned(user, {
        global: {
          meshID: identity.meshId,
          multiCluster: { clusterName: identity.clusterName },
          network: identity.network,
        },
      });
    case 'gateway':
      return mergeOwned(user, {
        name: EASTWEST_GATEWAY,
        networkGateway: identity.network,
      });
    default:
      throw new Error(`unknown chart ${chart}`);
  }
}
