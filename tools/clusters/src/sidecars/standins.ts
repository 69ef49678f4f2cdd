import { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { ChildProcess, spawn } from 'node:child_process';
import {
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { ClusterState } from '../cluster';
import { sleep } from '../processes';
import { standinFiles, standinsDir } from './paths';
import { StandinNode, standinNode } from './standinNode';

/** The audience of the token a sidecar presents to istiod (the injection template's istio-token). */
const ISTIO_CA_AUDIENCE = 'istio-ca';
const TOKEN_SECONDS = 3600;
const TOKEN_RENEW_MS = 10 * 60_000;
const ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';

interface Standin {
  /** The pod's uid, its node and the root it trusts: a change of any is a new sidecar. */
  key: string;
  child: ChildProcess;
  exited: boolean;
  startedAt: number;
  tokenAt: number;
  pod: V1Pod;
}

/**
 * Plays the sidecar's xDS client for every injected pod of one cluster: one xdsstandin
 * process per Running pod that istiod injected, connected to the cluster's local istiod
 * on its secure xDS port with the pod's identity (see tools/clusters/istio/xdsstandin).
 * A stand-in starts once the pod has an address and its namespace holds istiod's root
 * (istio-ca-root-cert), as a real sidecar would; it stops when the pod goes, and is
 * started again when it exits or the root changes.
 */
export class ClusterStandins {
  private readonly running = new Map<string, Standin>();

  constructor(
    private readonly cluster: ClusterState,
    private readonly core: CoreV1Api,
    private readonly binary: string,
    private readonly log: (message: string) => void,
  ) {}

  async reconcile(istiodRunning: boolean) {
    if (!istiodRunning) {
      await this.stopAll();
      return;
    }
    const pods = await this.core.listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
    });
    const wanted = new Map<string, { pod: V1Pod; node: StandinNode }>();
    for (const pod of pods.items) {
      if (pod.metadata?.deletionTimestamp) continue;
      const node = standinNode(pod);
      if (node) wanted.set(`${node.namespace}/${node.name}`, { pod, node });
    }
    for (const [id, standin] of this.running) {
      if (!wanted.has(id)) await this.stop(id, standin, 'pod is gone');
    }
    const roots = new Map<string, { pem: string; version: string } | null>();
    for (const [id, { pod, node }] of wanted) {
      if (!roots.has(node.namespace))
        roots.set(node.namespace, await this.rootCert(node.namespace));
      const root = roots.get(node.namespace);
      if (!root) continue;
      const key = JSON.stringify([pod.metadata!.uid, node, root.version]);
      const standin = this.running.get(id);
      if (standin && standin.key !== key)
        await this.stop(id, standin, 'pod or root changed');
      const current = this.running.get(id);
      if (current && !current.exited) {
        await this.renewToken(current);
        continue;
      }
      if (current && Date.now() - current.startedAt < 2000) continue;
      await this.start(id, pod, node, root.pem, key);
    }
  }

  async stopAll() {
    for (const [id, standin] of this.running)
      await this.stop(id, standin, 'istiod is not running');
  }

  private async start(
    id: string,
    pod: V1Pod,
    node: StandinNode,
    rootPem: string,
    key: string,
  ) {
    const files = standinFiles(this.cluster.dir, node.namespace, node.name);
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    writeFileSync(files.node, JSON.stringify(node), { mode: 0o600 });
    writeFileSync(files.rootCert, rootPem, { mode: 0o600 });
    // The token is in place before the process reads it on connecting.
    const tokenAt = await this.writeToken(pod);
    const out = openSync(files.log, 'a');
    const standin: Standin = {
      key,
      pod,
      child: spawn(
        this.binary,
        [files.dir, `127.0.0.1:${this.cluster.istiodPorts.secureGrpc}`],
        { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', out, out] },
      ),
      exited: false,
      startedAt: Date.now(),
      tokenAt,
    };
    standin.child.on('exit', code => {
      standin.exited = true;
      if (this.running.get(id) === standin)
        this.log(
          `stand-in sidecar of ${id} exited (${code}); see ${files.log}`,
        );
    });
    writeFileSync(files.pid, String(standin.child.pid));
    this.running.set(id, standin);
    this.log(
      `started stand-in sidecar of ${id} (pid ${standin.child.pid}, ${node.type}, ${node.ip})`,
    );
  }

  private async stop(id: string, standin: Standin, why: string) {
    this.running.delete(id);
    if (!standin.exited) {
      const exited = new Promise(r => standin.child.once('exit', r));
      standin.child.kill('SIGTERM');
      const done = await Promise.race([exited, sleep(3000).then(() => false)]);
      if (done === false) {
        standin.child.kill('SIGKILL');
        await exited;
      }
    }
    const [namespace, name] = id.split('/');
    // The directory holds the pod's token: it lives only as long as the process.
    rmSync(standinFiles(this.cluster.dir, namespace, name).dir, {
      recursive: true,
      force: true,
    });
    this.log(`stopped stand-in sidecar of ${id}: ${why}`);
  }

  /**
   * A token of the pod's ServiceAccount, bound to the pod, for istiod's audience: what
   * the kubelet projects into a sidecar as istio-token and renews before it expires.
   */
  private async renewToken(standin: Standin) {
    if (Date.now() - standin.tokenAt < TOKEN_RENEW_MS) return;
    standin.tokenAt = await this.writeToken(standin.pod);
  }

  /** Writes a fresh token for the pod into its stand-in's directory; when it was made. */
  private async writeToken(pod: V1Pod): Promise<number> {
    const request = await this.core.createNamespacedServiceAccountToken({
      name: pod.spec!.serviceAccountName ?? 'default',
      namespace: pod.metadata!.namespace!,
      body: {
        spec: {
          audiences: [ISTIO_CA_AUDIENCE],
          expirationSeconds: TOKEN_SECONDS,
          boundObjectRef: {
            apiVersion: 'v1',
            kind: 'Pod',
            name: pod.metadata!.name!,
            uid: pod.metadata!.uid!,
          },
        },
      },
    });
    const files = standinFiles(
      this.cluster.dir,
      pod.metadata!.namespace!,
      pod.metadata!.name!,
    );
    const tmp = `${files.token}.tmp`;
    writeFileSync(tmp, request.status!.token!, { mode: 0o600 });
    renameSync(tmp, files.token);
    return Date.now();
  }

  private async rootCert(
    namespace: string,
  ): Promise<{ pem: string; version: string } | null> {
    try {
      const map = await this.core.readNamespacedConfigMap({
        name: ROOT_CERT_CONFIGMAP,
        namespace,
      });
      const pem = map.data?.['root-cert.pem'];
      return pem ? { pem, version: map.metadata!.resourceVersion! } : null;
    } catch (e) {
      if ((e as { code?: number }).code === 404) return null;
      throw e;
    }
  }
}

/** Clears stand-in files a previous supervisor left (its processes died with it). */
export function clearStandins(clusterDir: string) {
  rmSync(standinsDir(clusterDir), { recursive: true, force: true });
}
