import { V1Deployment, V1Volume } from '@kubernetes/client-node';

/** Every address a local istiod listens on, each a distinct port on 127.0.0.1. */
export interface IstiodPorts {
  /** Debug endpoints (/debug/*), readiness; `--httpAddr`. */
  http: number;
  /** The injection and validation webhooks; `--httpsAddr`. */
  https: number;
  grpc: number;
  secureGrpc: number;
  monitoring: number;
  ctrlz: number;
}

/** A Secret or ConfigMap volume, which the harness writes out as the kubelet would mount it. */
export interface MountedVolume {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  optional: boolean;
  /** The container's mount path without its leading slash: relative to istiod's working directory. */
  path: string;
  items?: { key: string; path: string }[];
}

export interface IstiodLaunch {
  args: string[];
  env: Record<string, string>;
  volumes: MountedVolume[];
  /** Empty directories istiod writes into (emptyDir mounts). */
  scratchDirs: string[];
  namespace: string;
  serviceAccount: string;
}

const ADDRESS_FLAGS = [
  '--httpAddr',
  '--httpsAddr',
  '--grpcAddr',
  '--secureGRPCAddr',
  '--monitoringAddr',
  '--ctrlz_address',
  '--ctrlz_port',
];

/**
 * How to run the istiod container of the chart's Deployment as a local process: the
 * chart's own args and env (so helm values reach it as they would reach the pod), with
 * every listener moved to its own 127.0.0.1 port and the kube client pointed at
 * `kubeconfig`. The pod's working directory is `/`, and istiod reads its mounts through
 * paths relative to it (`./etc/cacerts`, `./var/lib/istio/inject`), so mounts become
 * directories under the process's working directory.
 */
export function istiodLaunch(
  deployment: V1Deployment,
  ports: IstiodPorts,
  kubeconfig: string,
): IstiodLaunch {
  const pod = deployment.spec!.template.spec!;
  const container =
    pod.containers.find(c => c.name === 'discovery') ?? pod.containers[0];
  const namespace = deployment.metadata!.namespace!;
  const serviceAccount = pod.serviceAccountName ?? 'default';

  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.name')
      env[e.name] = `${deployment.metadata!.name}-local`;
    if (field === 'metadata.namespace') env[e.name] = namespace;
    if (field === 'spec.serviceAccountName') env[e.name] = serviceAccount;
  }
  env.KUBECONFIG = kubeconfig;

  const args = withoutAddressFlags(container.args ?? []);
  args.push(
    `--httpAddr=127.0.0.1:${ports.http}`,
    `--httpsAddr=127.0.0.1:${ports.https}`,
    `--grpcAddr=127.0.0.1:${ports.grpc}`,
    `--secureGRPCAddr=127.0.0.1:${ports.secureGrpc}`,
    `--monitoringAddr=127.0.0.1:${ports.monitoring}`,
    '--ctrlz_address=127.0.0.1',
    `--ctrlz_port=${ports.ctrlz}`,
  );

  const byName = new Map<string, V1Volume>(
    (pod.volumes ?? []).map(v => [v.name, v]),
  );
  const volumes: MountedVolume[] = [];
  const scratchDirs: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = byName.get(mount.name);
    const path = mount.mountPath.replace(/^\/+/, '');
    const source = volume?.secret
      ? {
          kind: 'Secret' as const,
          name: volume.secret.secretName,
          ...volume.secret,
        }
      : volume?.configMap && {
          kind: 'ConfigMap' as const,
          name: volume.configMap.name,
          ...volume.configMap,
        };
    if (source) {
      volumes.push({
        kind: source.kind,
        name: source.name!,
        optional: source.optional ?? false,
        path,
        items: source.items,
      });
    } else if (volume?.emptyDir) {
      scratchDirs.push(path);
    }
  }
  return { args, env, volumes, scratchDirs, namespace, serviceAccount };
}

function withoutAddressFlags(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = ADDRESS_FLAGS.find(
      f => args[i] === f || args[i].startsWith(`${f}=`),
    );
    if (!flag) out.push(args[i]);
    else if (args[i] === flag) i++;
  }
  return out;
}
