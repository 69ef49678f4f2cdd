import { V1Container, V1EnvVar, V1Pod } from '@kubernetes/client-node';

/** What the stand-in sends istiod for one pod: node.json of xdsstandin (istio/xdsstandin). */
export interface StandinNode {
  /** The node type the injector gave the proxy: `sidecar`, or `router` for a gateway. */
  type: string;
  ip: string;
  name: string;
  namespace: string;
  /** The name istiod's serving certificate is checked against: the discovery address's host. */
  serverName: string;
  metadata: Record<string, unknown>;
}

const PROXY_CONTAINER = 'istio-proxy';
const DEFAULT_DISCOVERY_HOST = 'istiod.istio-system.svc';

/** The pod's injected proxy container, if istiod's injector gave it one. */
export function proxyContainer(pod: V1Pod): V1Container | undefined {
  if (!pod.metadata?.annotations?.['sidecar.istio.io/status']) return undefined;
  return [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ].find(c => c.name === PROXY_CONTAINER);
}

/**
 * The node ID parts and metadata a pod's istio-proxy container would send, read from
 * what the injector wrote into the pod, mapped as pilot-agent maps its environment
 * (Istio's pkg/bootstrap/config.go): every `ISTIO_META_X` becomes `X`; POD_NAME,
 * POD_NAMESPACE, SERVICE_ACCOUNT and INSTANCE_IP become NAME, NAMESPACE,
 * SERVICE_ACCOUNT and INSTANCE_IPS; PROXY_CONFIG is sent as an object; the pod's labels
 * and annotations (the downward-API files) as LABELS and ANNOTATIONS; ISTIO_VERSION
 * is the proxy image's tag, the version a real agent reports. Undefined while the pod
 * has no address yet, as a real sidecar would not have started.
 */
export function standinNode(pod: V1Pod): StandinNode | undefined {
  const container = proxyContainer(pod);
  const ip = pod.status?.podIP;
  if (!container || !ip) return undefined;
  const env = Object.fromEntries(
    (container.env ?? []).flatMap(e => {
      const value = envValue(pod, e);
      return value === undefined ? [] : [[e.name, value]];
    }),
  );
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('ISTIO_META_'))
      metadata[name.slice('ISTIO_META_'.length)] = value;
  }
  const renamed: Record<string, string> = {
    POD_NAME: 'NAME',
    POD_NAMESPACE: 'NAMESPACE',
    SERVICE_ACCOUNT: 'SERVICE_ACCOUNT',
    INSTANCE_IP: 'INSTANCE_IPS',
  };
  for (const [from, to] of Object.entries(renamed)) {
    if (env[from] !== undefined) metadata[to] = env[from];
  }
  const proxyConfig = env.PROXY_CONFIG ? JSON.parse(env.PROXY_CONFIG) : {};
  metadata.PROXY_CONFIG = proxyConfig;
  metadata.LABELS = pod.metadata?.labels ?? {};
  metadata.ANNOTATIONS = pod.metadata?.annotations ?? {};
  const tag = container.image?.split('@')[0].split(':').slice(1).pop();
  if (tag) metadata.ISTIO_VERSION = tag;
  const discovery: string = proxyConfig.discoveryAddress ?? '';
  return {
    type: container.args?.[0] === 'proxy' ? container.args[1] : 'sidecar',
    ip,
    name: pod.metadata!.name!,
    namespace: pod.metadata!.namespace!,
    serverName: discovery.split(':')[0] || DEFAULT_DISCOVERY_HOST,
    metadata,
  };
}

/** An env var's value as the kubelet resolves it; undefined for sources a pod cannot give here. */
function envValue(pod: V1Pod, e: V1EnvVar): string | undefined {
  if (e.value !== undefined) return e.value;
  const path = e.valueFrom?.fieldRef?.fieldPath;
  if (!path) return undefined;
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed)
    return pod.metadata?.[keyed[1] as 'labels' | 'annotations']?.[keyed[2]];
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'spec.nodeName': pod.spec?.nodeName,
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
    'status.podIPs': pod.status?.podIPs?.map(p => p.ip).join(','),
  };
  return fields[path];
}
