import { KubernetesObject } from '@kubernetes/client-node';
import { PROBE_RUN_ANNOTATION } from './probeNamespace';

/** The label every object of the traffic probe carries, so removal finds exactly ours. */
export const TRAFFIC_PROBE_LABEL = 'istio-mesh.backstage.io/traffic-probe';
export const PROBE_SERVICE = 'helloworld';
export const PROBE_PORT = 5000;
export const PROBE_CLIENT = 'curl';

/**
 * Istio's sample images, named as its samples name them (samples/helloworld,
 * samples/curl), without a registry host: the cluster's default registry resolves them.
 *
 * @public
 */
export const DEFAULT_PROBE_IMAGES = {
  helloworld: 'istio/examples-helloworld-v1:1.0',
  curl: 'curlimages/curl:8.16.0',
};

/** @public */
export interface TrafficProbeOptions {
  /** The probe namespace; `mesh-probe` by default. */
  namespace: string;
  /** The istiod revision to inject from; the namespace gets istio.io/rev instead of istio-injection. */
  revision?: string;
  images: { helloworld: string; curl: string };
}

const labels = {
  [TRAFFIC_PROBE_LABEL]: 'true',
  'app.kubernetes.io/managed-by': 'istio-mesh-backstage',
};

/**
 * The runbook's closing check, as Istio's multicluster docs run it, for one member:
 * a namespace labelled for injection and marked with the run that made it, the helloworld Service on 5000, one helloworld
 * Deployment whose version is the member's clusterName (so each answer names the
 * cluster that gave it), and a curl client labelled app=curl as in Istio's sample.
 */
export function trafficProbeManifests(
  clusterName: string,
  options: TrafficProbeOptions & { run: string },
): (KubernetesObject & { spec?: unknown })[] {
  const { namespace, revision, images, run } = options;
  const injection: Record<string, string> = revision
    ? { 'istio.io/rev': revision }
    : { 'istio-injection': 'enabled' };
  const deployment = (
    name: string,
    podLabels: Record<string, string>,
    container: Record<string, unknown>,
    serviceAccountName?: string,
  ) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { ...labels, ...podLabels } },
    spec: {
      replicas: 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: { ...labels, ...podLabels } },
        spec: {
          ...(serviceAccountName ? { serviceAccountName } : {}),
          terminationGracePeriodSeconds: 0,
          containers: [container],
        },
      },
    },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: { ...labels, ...injection },
        annotations: { [PROBE_RUN_ANNOTATION]: run },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: PROBE_CLIENT, namespace, labels },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: PROBE_SERVICE,
        namespace,
        labels: { ...labels, app: PROBE_SERVICE },
      },
      spec: {
        selector: { app: PROBE_SERVICE },
        ports: [{ name: 'http', port: PROBE_PORT }],
      },
    },
    deployment(
      `${PROBE_SERVICE}-${clusterName}`,
      { app: PROBE_SERVICE, version: clusterName },
      {
        name: PROBE_SERVICE,
        image: images.helloworld,
        env: [{ name: 'SERVICE_VERSION', value: clusterName }],
        ports: [{ containerPort: PROBE_PORT }],
      },
    ),
    deployment(
      PROBE_CLIENT,
      { app: PROBE_CLIENT },
      {
        name: PROBE_CLIENT,
        image: images.curl,
        command: ['/bin/sleep', 'infinity'],
      },
      PROBE_CLIENT,
    ),
  ];
}
