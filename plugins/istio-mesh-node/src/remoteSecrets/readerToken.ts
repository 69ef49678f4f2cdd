import { CoreV1Api } from '@kubernetes/client-node';
import { MeshCluster } from '../clusters/meshCluster';
import { listMetadata } from '../kube/metadata';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import {
  ISTIO_SYSTEM,
  READER_SERVICE_ACCOUNT,
  READER_TOKEN_SECRET,
} from '../mesh/names';
import { StepLog } from '../progress/stepLog';
import { waitFor } from '../progress/waitFor';

const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const STEP = 'remote secrets';

/** The reader's long-lived token and the CA that signed its API server's certificate. */
export interface ReaderToken {
  /** Base64 of ca.crt, as a kubeconfig's certificate-authority-data wants it. */
  caData: string;
  token: string;
}

/**
 * The names of the reader's token Secrets in istio-system, read as metadata: listing
 * Secrets with their data would send every key in istio-system, cacerts' among them.
 */
export async function readerTokenSecretNames(
  cluster: MeshCluster,
): Promise<string[]> {
  const tokens = await listMetadata(
    cluster.kubeConfig(),
    `/api/v1/namespaces/${ISTIO_SYSTEM}/secrets?fieldSelector=${encodeURIComponent(
      `type=${SA_TOKEN_TYPE}`,
    )}`,
  );
  return tokens
    .filter(m => m.annotations?.[SA_NAME_ANNOTATION] === READER_SERVICE_ACCOUNT)
    .map(m => m.name!);
}

/**
 * As istioctl create-remote-secret does on Kubernetes 1.24 and later: the first
 * service-account-token Secret of istio-reader-service-account in istio-system, or a
 * new one, then waits until the token controller has filled token and ca.crt. A bounded
 * TokenRequest token would expire inside istiod (docs/istio-procedure.md §8.9), so this
 * is the legacy kind.
 */
export async function ensureReaderToken(
  cluster: MeshCluster,
  dryRun: boolean,
  log: StepLog,
): Promise<ReaderToken | undefined> {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const fail = (problem: string, fix: string): never => {
    throw new MeshStepError(cluster.name, STEP, problem, fix);
  };
  let name: string;
  try {
    const [found] = await readerTokenSecretNames(cluster);
    if (found) {
      name = found;
    } else if (dryRun) {
      log.info(
        `cluster ${cluster.name}: would create Secret ${ISTIO_SYSTEM}/${READER_TOKEN_SECRET} for ${READER_SERVICE_ACCOUNT}`,
      );
      return undefined;
    } else {
      await core.readNamespacedServiceAccount({
        name: READER_SERVICE_ACCOUNT,
        namespace: ISTIO_SYSTEM,
      });
      await core.createNamespacedSecret({
        namespace: ISTIO_SYSTEM,
        body: {
          metadata: {
            name: READER_TOKEN_SECRET,
            annotations: { [SA_NAME_ANNOTATION]: READER_SERVICE_ACCOUNT },
          },
          type: SA_TOKEN_TYPE,
        },
      });
      name = READER_TOKEN_SECRET;
      log.info(
        `cluster ${cluster.name}: created Secret ${ISTIO_SYSTEM}/${READER_TOKEN_SECRET} for ${READER_SERVICE_ACCOUNT}`,
      );
    }
  } catch (e) {
    if (e instanceof MeshStepError) throw e;
    return fail(
      `cannot find or create the reader token Secret in ${ISTIO_SYSTEM} (${describeKubeError(
        e,
      )})`,
      `install istio-base there (it creates ${READER_SERVICE_ACCOUNT}) and allow the istioMesh credentials to list and create Secrets in istio-system`,
    );
  }
  return readFilledToken(cluster, name);
}

/**
 * How long the token controller may take to fill a new token Secret: seconds as a
 * rule, but its watch resumes with a backoff after an API server restart.
 */
const TOKEN_FILL_SECONDS = 30;

/** Waits until the token controller has filled a reader token Secret's token and ca.crt. */
async function readFilledToken(
  cluster: MeshCluster,
  name: string,
): Promise<ReaderToken> {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  let token: ReaderToken | undefined;
  await waitFor(TOKEN_FILL_SECONDS, async () => {
    const secret = await core.readNamespacedSecret({
      name,
      namespace: ISTIO_SYSTEM,
    });
    const data = secret.data ?? {};
    if (!data.token || !data['ca.crt']) return false;
    token = {
      caData: data['ca.crt'],
      token: Buffer.from(data.token, 'base64').toString('utf8'),
    };
    return true;
  });
  if (!token) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `Secret ${ISTIO_SYSTEM}/${name} has no "token" or "ca.crt" data after ${TOKEN_FILL_SECONDS}s`,
      'check that kube-controller-manager runs its token controller (service account key configured)',
    );
  }
  return token;
}

/**
 * A new reader token, in a new Secret beside the old ones: the caller rewrites the
 * remote secrets that carry the old token, then deletes the old Secrets with `retire`,
 * which revokes the old token wherever a copy of it went.
 */
export async function newReaderToken(cluster: MeshCluster): Promise<{
  token: ReaderToken;
  retire: () => Promise<string[]>;
}> {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const old = await readerTokenSecretNames(cluster);
  const created = await core.createNamespacedSecret({
    namespace: ISTIO_SYSTEM,
    body: {
      metadata: {
        generateName: `${READER_TOKEN_SECRET}-`,
        annotations: { [SA_NAME_ANNOTATION]: READER_SERVICE_ACCOUNT },
      },
      type: SA_TOKEN_TYPE,
    },
  });
  const token = await readFilledToken(cluster, created.metadata!.name!);
  return {
    token,
    retire: async () => {
      for (const name of old) {
        await core
          .deleteNamespacedSecret({ name, namespace: ISTIO_SYSTEM })
          .catch(e => {
            if (!isNotFound(e)) throw e;
          });
      }
      return old;
    },
  };
}
