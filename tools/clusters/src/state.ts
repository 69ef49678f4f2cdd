import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterState } from './cluster';
import { stateDir } from './paths';
import { isRunning } from './processes';

/** What `up` started, so `down`, `status` and tests find every process by pid. */
export interface State {
  clusters: ClusterState[];
  loadBalancerPid?: number;
  /** Answers the local istiods' DNS queries: the load balancers' hostnames. */
  clusterDnsPid?: number;
  /** Runs a local istiod for each cluster where the istiod chart is installed. */
  istiodSupervisorPid?: number;
}

const statePath = join(stateDir, 'state.json');

export function readState(): State | undefined {
  return existsSync(statePath)
    ? JSON.parse(readFileSync(statePath, 'utf8'))
    : undefined;
}

export function writeState(state: State) {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
}

export function allPids(state: State): number[] {
  return [
    ...(state.loadBalancerPid ? [state.loadBalancerPid] : []),
    ...(state.clusterDnsPid ? [state.clusterDnsPid] : []),
    ...(state.istiodSupervisorPid ? [state.istiodSupervisorPid] : []),
    ...state.clusters.flatMap(c => Object.values(c.pids)),
  ];
}

/** The running set, if every process `up` started is still alive. */
export function runningState(): State | undefined {
  const state = readState();
  return state && allPids(state).every(isRunning) ? state : undefined;
}
