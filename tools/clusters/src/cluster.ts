import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubeconfigYaml } from './kubeconfig';
import { stateDir } from './paths';
import { makeClusterPki } from './pki';
import { freePort, portsBelowEphemeralRange } from './ports';
import { startDetached, waitFor } from './processes';
import { Binaries } from './toolchain';
import { IstiodPorts } from './istiod/launch';

export interface ClusterSpec {
  name: string;
  network: string;
  /** Position in the set; picks the cluster's pod CIDR and load-balancer range. */
  index: number;
}

export interface ClusterState extends ClusterSpec {
  server: string;
  dir: string;
  pids: Record<string, number>;
  /** Kept so a fault test can stop the API server and start it again as it was. */
  apiserverArgs: string[];
  /** Fixed when the cluster starts: the chart values name the webhook port. */
  istiodPorts: IstiodPorts;
  /** etcd's client URL: TLS, and only for client certificates of etcd's own CA. */
  etcdUrl?: string;
}

const FAKE_NODES = 3;

export function kubectl(
  bins: Binaries,
  kubeconfig: string,
  args: string[],
  input?: string,
): string {
  return execFileSync(bins.kubectl, ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Starts one cluster on loopback: etcd, kube-apiserver (TLS, RBAC, service-account
 * issuer), kube-controller-manager (token controller, EndpointSlices), kube-scheduler and
 * kwok with fake nodes whose address is 127.0.0.1. Every listener binds to 127.0.0.1.
 */
export async function startCluster(
  spec: ClusterSpec,
  bins: Binaries,
): Promise<ClusterState> {
  const dir = join(stateDir, spec.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'etcd'), { recursive: true });
  makeClusterPki(dir, spec.name);
  const [etcdClient, etcdPeer, api, kcm, scheduler, kwok] = await Promise.all(
    Array.from({ length: 6 }, freePort),
  );
  const istiod = await portsBelowEphemeralRange(6);
  const state: ClusterState = {
    ...spec,
    server: `https://127.0.0.1:${api}`,
    dir,
    pids: {},
    apiserverArgs: [],
    istiodPorts: {
      http: istiod[0],
      https: istiod[1],
      grpc: istiod[2],
      secureGrpc: istiod[3],
      monitoring: istiod[4],
      ctrlz: istiod[5],
    },
  };
  const log = (name: string) => join(dir, `${name}.log`);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    kubeconfigYaml([{ name: spec.name, server: state.server, dir }]),
    { mode: 0o600 },
  );

  const pem = (name: string) => join(dir, name);
  const etcdTls = [
    ...['--cert-file', pem('etcd-server.crt')],
    ...['--key-file', pem('etcd-server.key')],
    ...['--trusted-ca-file', pem('etcd-ca.crt'), '--client-cert-auth'],
    ...['--peer-cert-file', pem('etcd-server.crt')],
    ...['--peer-key-file', pem('etcd-server.key')],
    ...['--peer-trusted-ca-file', pem('etcd-ca.crt')],
    '--peer-client-cert-auth',
  ];
  state.etcdUrl = `https://127.0.0.1:${etcdClient}`;
  state.pids.etcd = startDetached(
    bins.etcd,
    [
      '--name',
      'default',
      '--data-dir',
      join(dir, 'etcd'),
      '--unsafe-no-fsync',
      '--listen-client-urls',
      state.etcdUrl,
      '--advertise-client-urls',
      state.etcdUrl,
      '--listen-peer-urls',
      `https://127.0.0.1:${etcdPeer}`,
      '--initial-advertise-peer-urls',
      `https://127.0.0.1:${etcdPeer}`,
      '--initial-cluster',
      `default=https://127.0.0.1:${etcdPeer}`,
      '--listen-metrics-urls',
      '',
      ...etcdTls,
    ],
    log('etcd'),
    dir,
  );

  state.apiserverArgs = [
    `--etcd-servers=${state.etcdUrl}`,
    `--etcd-cafile=${pem('etcd-ca.crt')}`,
    `--etcd-certfile=${pem('apiserver-etcd-client.crt')}`,
    `--etcd-keyfile=${pem('apiserver-etcd-client.key')}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${api}`,
    // With no reconciler, nothing writes the `kubernetes` Service's endpoints, so the
    // loopback advertise address is never published as an endpoint.
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${join(dir, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(dir, 'apiserver.key')}`,
    `--client-ca-file=${join(dir, 'ca.crt')}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--allow-privileged=true',
    '--enable-priority-and-fairness=false',
    // The nodes also carry a Hostname address nothing resolves; the API server dials
    // the first preferred type without retrying another.
    '--kubelet-preferred-address-types=InternalIP',
  ];
  await startApiServer(state, bins);

  state.pids.controllerManager = startDetached(
    bins.kubeControllerManager,
    [
      `--kubeconfig=${kubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${kcm}`,
      `--service-account-private-key-file=${join(dir, 'sa.key')}`,
      `--root-ca-file=${join(dir, 'ca.crt')}`,
      '--use-service-account-credentials=false',
      '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-route',
    ],
    log('kube-controller-manager'),
    dir,
  );
  state.pids.scheduler = startDetached(
    bins.kubeScheduler,
    [
      `--kubeconfig=${kubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${scheduler}`,
    ],
    log('kube-scheduler'),
    dir,
  );
  const portForwards = join(dir, 'kwok-port-forwards.yaml');
  writeFileSync(portForwards, istiodPortForwards(state.istiodPorts));
  // kwok serves its nodes' kubelet API (port-forward, exec) on 127.0.0.1: the nodes
  // publish that address and port, and the API server dials it there.
  state.pids.kwok = startDetached(
    bins.kwok,
    [
      `--kubeconfig=${kubeconfig}`,
      `--config=${bins.kwokStages}`,
      `--config=${portForwards}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-ip=127.0.0.1',
      `--node-port=${kwok}`,
      `--server-address=127.0.0.1:${kwok}`,
      `--cidr=10.${100 + spec.index}.0.0/16`,
    ],
    log('kwok'),
    dir,
  );

  kubectl(bins, kubeconfig, ['apply', '-f', '-'], fakeNodes(spec.name));
  return state;
}

/** Starts the cluster's kube-apiserver and waits until it is ready. */
export async function startApiServer(state: ClusterState, bins: Binaries) {
  const log = join(state.dir, 'kube-apiserver.log');
  state.pids.apiserver = startDetached(
    bins.kubeApiserver,
    state.apiserverArgs,
    log,
    state.dir,
  );
  await waitFor(`the API server of cluster ${state.name} (see ${log})`, () => {
    try {
      return (
        kubectl(bins, join(state.dir, 'kubeconfig'), [
          'get',
          '--raw',
          '/readyz',
        ]).trim() === 'ok'
      );
    } catch {
      return false;
    }
  });
}

/**
 * Port-forwards to pods in istio-system reach the cluster's local istiod, as they reach
 * the istiod container in a real cluster: the pods are kwok's, istiod is a local
 * process (src/istiod). Selected by namespace, since kwok selects pods by name only.
 */
function istiodPortForwards(ports: IstiodPorts): string {
  const forward = (container: number, local: number) => ({
    ports: [container],
    target: { address: '127.0.0.1', port: local },
  });
  return JSON.stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterPortForward',
    metadata: { name: 'istiod' },
    spec: {
      selector: { matchNamespaces: ['istio-system'] },
      forwards: [
        forward(8080, ports.http),
        forward(15010, ports.grpc),
        forward(15012, ports.secureGrpc),
        forward(15014, ports.monitoring),
        forward(15017, ports.https),
      ],
    },
  });
}

function fakeNodes(cluster: string): string {
  const items = Array.from({ length: FAKE_NODES }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `${cluster}-node-${i}`,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
      labels: {
        type: 'kwok',
        'kubernetes.io/hostname': `${cluster}-node-${i}`,
        'topology.kubernetes.io/region': cluster,
      },
    },
    status: {
      // A kubelet reports both; kwok's node-initialize stage, run again whenever Ready
      // is not True (as after an API server outage), patches `addresses: null` if either
      // is missing, and the API server then has no address to port-forward through.
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: `${cluster}-node-${i}` },
      ],
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
