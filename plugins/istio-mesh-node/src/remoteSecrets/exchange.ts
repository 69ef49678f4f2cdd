import { MeshCluster } from '../clusters/meshCluster';
import { applyObject } from '../kube/apply';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import { remoteSecretName } from '../mesh/names';
import { StepLog } from '../progress/stepLog';
import { ensureReaderToken, newReaderToken, ReaderToken } from './readerToken';
import { remoteSecretManifest } from './remoteSecret';

const STEP = 'remote secrets';

export interface ExchangeParty {
  cluster: MeshCluster;
  clusterName: string;
}

async function applyRemoteSecret(options: {
  /** The cluster the secret gives access to. */
  source: ExchangeParty;
  token: ReaderToken | undefined;
  /** The cluster whose istiod reads the secret. */
  target: ExchangeParty;
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { source, token, target, dryRun, log } = options;
  const name = remoteSecretName(source.clusterName);
  if (!token) {
    log.info(
      `cluster ${target.cluster.name}: would create Secret istio-system/${name} once ${source.cluster.name}'s reader token exists`,
    );
    return;
  }
  try {
    const result = await applyObject(
      target.cluster.kubeConfig(),
      remoteSecretManifest({
        clusterName: source.clusterName,
        server: source.cluster.peerServer,
        token,
      }),
      dryRun,
    );
    log.info(
      `cluster ${
        target.cluster.name
      }: remote secret istio-system/${name} (reaches ${
        source.cluster.peerServer
      }) ${dryRun ? `would be ${result}` : result}`,
    );
  } catch (e) {
    throw new MeshStepError(
      target.cluster.name,
      STEP,
      `cannot apply remote secret istio-system/${name} (${describeKubeError(
        e,
      )})`,
      `bring ${target.cluster.name}'s API server back or fix its istioMesh credentials, then re-run: the exchange converges`,
    );
  }
}

/**
 * Both directions between the joining cluster and every peer: the peer's istiod gets a
 * remote secret for the joining cluster, and the joining cluster's istiod one for each
 * peer. Every reader token is fetched before anything is written, so an unreachable
 * peer fails the step before any cluster changes.
 */
export async function exchangeRemoteSecrets(options: {
  joining: ExchangeParty;
  peers: ExchangeParty[];
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { joining, peers, dryRun, log } = options;
  if (peers.length === 0) {
    log.info(
      `cluster ${joining.cluster.name}: first member of the mesh, no remote secrets to exchange`,
    );
    return;
  }
  const joiningToken = await ensureReaderToken(joining.cluster, dryRun, log);
  const peerTokens = await Promise.all(
    peers.map(p => ensureReaderToken(p.cluster, dryRun, log)),
  );
  for (const [i, peer] of peers.entries()) {
    const step = { dryRun, log };
    await applyRemoteSecret({
      source: peer,
      token: peerTokens[i],
      target: joining,
      ...step,
    });
    await applyRemoteSecret({
      source: joining,
      token: joiningToken,
      target: peer,
      ...step,
    });
  }
}

/**
 * Every member gets a remote secret for every other: N·(N−1) secrets, written in
 * parallel once every reader token is in hand, so an unreachable member fails the
 * exchange before any cluster changes. A secret already right is left unchanged.
 */
export async function exchangeAmong(options: {
  members: ExchangeParty[];
  dryRun: boolean;
  log: StepLog;
}): Promise<void> {
  const { members, dryRun, log } = options;
  const tokens = await Promise.all(
    members.map(m => ensureReaderToken(m.cluster, dryRun, log)),
  );
  await Promise.all(
    members.flatMap((source, i) =>
      members
        .filter(target => target !== source)
        .map(target =>
          applyRemoteSecret({ source, token: tokens[i], target, dryRun, log }),
        ),
    ),
  );
}

/**
 * Gives each member a new reader token and rewrites every other member's remote secret
 * for it, then deletes the member's old token Secrets, which revokes the old token
 * wherever a copy went: a cluster that left the mesh held every member's
 * (docs/istio-procedure.md §9).
 */
export async function rotateReaderTokens(options: {
  members: ExchangeParty[];
  log: StepLog;
}): Promise<void> {
  const { members, log } = options;
  for (const member of members) {
    let fresh: Awaited<ReturnType<typeof newReaderToken>>;
    try {
      fresh = await newReaderToken(member.cluster);
    } catch (e) {
      if (e instanceof MeshStepError) throw e;
      throw new MeshStepError(
        member.cluster.name,
        STEP,
        `cannot create a new reader token Secret (${describeKubeError(e)})`,
        'allow the istioMesh credentials to list, create and delete Secrets in istio-system, then re-run',
      );
    }
    for (const target of members.filter(m => m !== member)) {
      await applyRemoteSecret({
        source: member,
        token: fresh.token,
        target,
        dryRun: false,
        log,
      });
    }
    const retired = await fresh.retire().catch(e => {
      throw new MeshStepError(
        member.cluster.name,
        STEP,
        `cannot delete the old reader token Secret (${describeKubeError(e)})`,
        'delete it by hand or re-run: until then the old token still works',
      );
    });
    log.info(
      `cluster ${member.cluster.name}: reader token rotated; ${
        retired.length
          ? `old Secret${retired.length > 1 ? 's' : ''} ${retired.join(
              ', ',
            )} deleted, so the old token stops working everywhere within seconds`
          : 'there was no old one'
      }`,
    );
  }
}
