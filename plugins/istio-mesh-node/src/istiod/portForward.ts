import { CoreV1Api, PortForward, V1Pod } from '@kubernetes/client-node';
import { createServer, Socket } from 'node:net';
import { MeshCluster } from '../clusters/meshCluster';
import { ISTIO_SYSTEM } from '../mesh/names';

const ready = (pod: V1Pod) =>
  pod.status?.phase === 'Running' &&
  !pod.metadata?.deletionTimestamp &&
  !!pod.status.conditions?.some(c => c.type === 'Ready' && c.status === 'True');

/** An istiod pod: its name and the revision it serves (the `istio.io/rev` label). */
export interface IstiodPod {
  name: string;
  revision?: string;
}

/** Every ready istiod pod, as istioctl finds them: `app=istiod` in istio-system. */
export async function readyIstiodPods(
  cluster: MeshCluster,
): Promise<IstiodPod[]> {
  const pods = await cluster
    .kubeConfig()
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({
      namespace: ISTIO_SYSTEM,
      labelSelector: 'app=istiod',
    });
  const found = pods.items.filter(ready).map(pod => ({
    name: pod.metadata!.name!,
    revision: pod.metadata!.labels?.['istio.io/rev'],
  }));
  if (!found.length) {
    throw new Error(
      `no ready istiod pod (app=istiod) in ${ISTIO_SYSTEM} of ${pods.items.length} found`,
    );
  }
  return found;
}

/** A ready istiod pod, as istioctl picks one. */
export async function readyIstiodPod(cluster: MeshCluster): Promise<IstiodPod> {
  return (await readyIstiodPods(cluster))[0];
}

/**
 * Runs fn with a local address that reaches `port` of an istiod pod (readyIstiodPod)
 * through the API server's port-forward, as `kubectl port-forward` and istioctl do. Inside the pod
 * the connection arrives on loopback, which is how istiod's /debug answers without
 * credentials. The listener is bound to 127.0.0.1 and closed, with every stream it
 * opened, when fn settles.
 */
export async function withIstiodPortForward<T>(
  cluster: MeshCluster,
  target: { pod: IstiodPod; port: number },
  fn: (forward: { host: string; port: number }) => Promise<T>,
): Promise<T> {
  const { pod, port } = target;
  const forwarder = new PortForward(cluster.kubeConfig());
  const sockets = new Set<Socket>();
  const server = createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    forwarder
      .portForward(ISTIO_SYSTEM, pod.name, [port], socket, null, socket)
      .then(ws => {
        const stream = typeof ws === 'function' ? ws() : ws;
        if (!stream) return;
        // The request may have ended while the WebSocket was opening: its close event
        // is gone, so close the stream now rather than leave it open on the API server.
        if (socket.destroyed) {
          stream.close();
          return;
        }
        socket.on('close', () => stream.close());
        stream.on('close', () => socket.end());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    const { port: local } = server.address() as { port: number };
    return await fn({ host: '127.0.0.1', port: local });
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise(resolve => server.close(resolve));
  }
}
