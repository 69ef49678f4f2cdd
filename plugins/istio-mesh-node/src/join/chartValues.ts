import {
  ChartName,
  CROSS_NETWORK_PORT,
  EASTWEST_GATEWAY,
  NETWORK_LABEL,
} from '../mesh/names';
import {
  GATEWAY_SERVICE_PORTS,
  GATEWAY_STATUS_PORT,
  GatewayServiceSettings,
  GENERIC_EXPOSURE,
  loadBalancerAnnotations,
} from './gatewayService';

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

function portNumbers(ports: unknown): number[] {
  return Array.isArray(ports)
    ? ports.map(p => (isObject(p) ? Number(p.port) : NaN))
    : [];
}

/**
 * The east-west gateway as the chart's `networkGateway` would make it (the network
 * label on the Service and pods, the requested network view), but with only the ports
 * the mesh needs. User chartValues may publish more ports, never fewer.
 */
function gatewayValues(
  identity: MeshIdentity,
  user: Values,
  settings: GatewayServiceSettings,
): Values {
  for (const key of ['networkGateway', 'networkGatewayPorts']) {
    if (key in user) {
      throw new Error(
        `chart value ${key} is set, but the join labels the gateway for its network itself and publishes only ports ${GATEWAY_STATUS_PORT} and ${CROSS_NETWORK_PORT} (networkGateway would also publish istiod's 15012 and 15017): remove it from the cluster's chartValues`,
      );
    }
  }
  const userService = isObject(user.service) ? user.service : {};
  if (userService.ports !== undefined) {
    const published = portNumbers(userService.ports);
    const missing = [GATEWAY_STATUS_PORT, CROSS_NETWORK_PORT].filter(
      p => !published.includes(p),
    );
    if (missing.length) {
      throw new Error(
        `chart value service.ports lacks port ${missing.join(
          ' and ',
        )}, which the east-west gateway needs: add it, or remove service.ports from the cluster's chartValues`,
      );
    }
  }
  const { exposure, awsLoadBalancerController } = settings;
  const service: Values = {
    annotations: loadBalancerAnnotations(
      exposure.provider,
      exposure.internal,
      awsLoadBalancerController,
    ),
  };
  if (userService.ports === undefined) service.ports = GATEWAY_SERVICE_PORTS;
  if (exposure.loadBalancerSourceRanges.length) {
    service.loadBalancerSourceRanges = exposure.loadBalancerSourceRanges;
  }
  return mergeOwned(user, {
    name: EASTWEST_GATEWAY,
    labels: { [NETWORK_LABEL]: identity.network },
    env: { ISTIO_META_REQUESTED_NETWORK_VIEW: identity.network },
    service,
  });
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
  gateway: GatewayServiceSettings = {
    exposure: GENERIC_EXPOSURE,
    awsLoadBalancerController: false,
  },
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
      return gatewayValues(identity, user, gateway);
    default:
      throw new Error(`unknown chart ${chart}`);
  }
}
