import { KubeConfig } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterState, startApiServer } from '../cluster';
import { stop } from '../processes';
import { readState, writeState } from '../state';
import { binaries } from '../toolchain';
import { kubeconfigPath, stateDir } from '../paths';

/** The running clusters, for integration tests. */
export function runningClusters(): ClusterState[] {
  return JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'))
    .clusters;
}

export function harnessPids(): number[] {
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
  return [
    state.loadBalancerPid,
    ...state.clusters.flatMap((c: ClusterState) => Object.values(c.pids)),
  ];
}

export function kubeConfigFor(context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}

/** TCP connections held by the given processes to anything but loopback. */
export function offLoopbackConnections(pids: number[]): string[] {
  const out = execFileSync('ss', ['-tnpH'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(line => pids.some(pid => line.includes(`pid=${pid},`)))
    .filter(line => {
      const peer = line.trim().split(/\s+/)[4] ?? '';
      return !/^(127\.|\[::1\]|\[::ffff:127\.)/.test(peer);
    });
}

/** Stops a cluster's API server, as an outage would; its other processes keep running. */
export async function stopApiServer(name: string): Promise<void> {
  const state = readState()!;
  const cluster = state.clusters.find(c => c.name === name)!;
  await stop([cluster.pids.apiserver]);
}

/** Starts a stopped API server again, on the same port with the same data. */
export async function restartApiServer(name: string): Promise<void> {
  const state = readState()!;
  const cluster = state.clusters.find(c => c.name === name)!;
  await startApiServer(cluster, binaries());
  writeState(state);
}
