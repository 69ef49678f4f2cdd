/** One endpoint istiod assigned a proxy for an outbound cluster, as its EDS says. */
export interface AssignedEndpoint {
  address: string;
  port: number;
  weight: number;
  /** Istio's clusterName, the last field of the endpoint's `istio.workload` metadata. */
  clusterName?: string;
  /** "istio" when the sidecar is told to use mTLS to it. */
  tlsMode?: string;
}

interface LbEndpointJson {
  endpoint?: {
    address?: { socketAddress?: { address?: string; portValue?: number } };
  };
  metadata?: {
    filterMetadata?: Record<string, Record<string, string> | undefined>;
  };
  loadBalancingWeight?: number;
}

interface ClusterLoadAssignmentJson {
  clusterName?: string;
  endpoints?: { lbEndpoints?: LbEndpointJson[] }[];
}

/** The outbound cluster name Istio gives a service port: outbound|port||host. */
export function outboundCluster(host: string, port: number): string {
  return `outbound|${port}||${host}`;
}

/**
 * The endpoints of one outbound cluster in istiod's EDS config dump for a proxy
 * (/debug/edsz?proxyID=…, an Envoy admin ConfigDump of ClusterLoadAssignments), or
 * undefined when the proxy was sent no assignment for it.
 */
export function assignedEndpoints(
  configDump: unknown,
  cluster: string,
): AssignedEndpoint[] | undefined {
  const configs = ((configDump as { configs?: unknown[] })?.configs ??
    []) as ClusterLoadAssignmentJson[];
  const assignment = configs.find(c => c.clusterName === cluster);
  if (!assignment) return undefined;
  return (assignment.endpoints ?? []).flatMap(locality =>
    (locality.lbEndpoints ?? []).map(lb => {
      const socket = lb.endpoint?.address?.socketAddress ?? {};
      const workload = lb.metadata?.filterMetadata?.istio?.workload;
      return {
        address: socket.address ?? '',
        port: socket.portValue ?? 0,
        weight: lb.loadBalancingWeight ?? 1,
        clusterName: workload?.split(';')[4] || undefined,
        tlsMode:
          lb.metadata?.filterMetadata?.['envoy.transport_socket_match']
            ?.tlsMode,
      };
    }),
  );
}
