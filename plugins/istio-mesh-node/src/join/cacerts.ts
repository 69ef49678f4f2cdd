import { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { CacertsBundle, cacertsFiles, CACERTS_FILES } from '../ca/bundle';
import { createIntermediateCa } from '../ca/intermediateCa';
import { validateCacerts } from '../ca/validateCacerts';
import { MeshCluster } from '../clusters/meshCluster';
import { MeshEnvironment } from '../environment/meshEnvironment';
import { describeKubeError, isNotFound, MeshStepError } from '../mesh/errors';
import { CACERTS_SECRET, ISTIO_SYSTEM } from '../mesh/names';
import { StepLog } from '../progress/stepLog';

const STEP = 'cacerts';

/** The cacerts Secret's files, or undefined when there is none. */
export async function readCacertsSecret(
  cluster: MeshCluster,
): Promise<Partial<Record<string, string>> | undefined> {
  try {
    const secret = await cluster
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: CACERTS_SECRET, namespace: ISTIO_SYSTEM });
    return Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([file, value]) => [
        file,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new MeshStepError(
      cluster.name,
      STEP,
      `cannot read Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET} (${describeKubeError(
        e,
      )})`,
      'give the istioMesh credentials of this cluster access to Secrets in istio-system',
    );
  }
}

/**
 * Opaque, exactly the four keys istiod's plugged-in CA reads (docs/istio-procedure.md
 * §1.5).
 */
function cacertsSecret(bundle: CacertsBundle): V1Secret {
  const data = Object.fromEntries(
    Object.entries(cacertsFiles(bundle)).map(([file, text]) => [
      file,
      Buffer.from(text).toString('base64'),
    ]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: CACERTS_SECRET, namespace: ISTIO_SYSTEM },
    data,
  };
}

/**
 * Creates the Secret, or replaces it whole: a merge (an apply) would keep keys someone
 * else added, such as tls.crt and tls.key, which istiod reads before the four files.
 */
async function writeCacertsSecret(
  cluster: MeshCluster,
  secret: V1Secret,
  exists: boolean,
): Promise<void> {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const ref = { name: CACERTS_SECRET, namespace: ISTIO_SYSTEM };
  if (exists) {
    await core.replaceNamespacedSecret({ ...ref, body: secret });
  } else {
    await core.createNamespacedSecret({
      namespace: ISTIO_SYSTEM,
      body: secret,
    });
  }
}

/** Writes the bundle as the cacerts Secret, whole; a failure names the step. */
export async function storeCacerts(
  cluster: MeshCluster,
  bundle: CacertsBundle,
  exists: boolean,
  step: string,
): Promise<void> {
  try {
    await writeCacertsSecret(cluster, cacertsSecret(bundle), exists);
  } catch (e) {
    throw new MeshStepError(
      cluster.name,
      step,
      `cannot write Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET} (${describeKubeError(
        e,
      )})`,
      'give the istioMesh credentials of this cluster the right to write Secrets in istio-system',
    );
  }
}

/** @public */
export interface CacertsOptions {
  clusterName: string;
  dryRun: boolean;
  /** Sign a new intermediate even when a valid one is in place: CA rotation. */
  rotate: boolean;
  log: StepLog;
}

/**
 * Makes the cluster's cacerts an intermediate of the mesh root. A valid cacerts from
 * the same root is kept, so a re-run does not rotate. A cacerts from another root is
 * refused, never overwritten: that would split the mesh's trust. The new intermediate's
 * key exists in memory and in the Secret only.
 *
 * @public
 */
export async function applyCacerts(
  env: MeshEnvironment,
  cluster: MeshCluster,
  options: CacertsOptions,
): Promise<'created' | 'updated' | 'unchanged'> {
  const { log, dryRun } = options;
  const rootPem = await env.rootCa.rootCertificatePem();
  const existing = await readCacertsSecret(cluster);
  if (existing) {
    if (existing[CACERTS_FILES.rootCert]?.trim() !== rootPem.trim()) {
      throw new MeshStepError(
        cluster.name,
        STEP,
        `Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET} holds a root-cert.pem that is not the mesh root (${env.rootCa.description})`,
        'this cluster trusts another root: remove it from its old mesh and delete the cacerts Secret, then re-run',
      );
    }
    const report = validateCacerts(existing);
    if (report.ok && !options.rotate) {
      report.warnings.forEach(w =>
        log.warn(
          `cluster ${cluster.name}: cacerts ${w.file} ${w.problem}; fix: ${w.fix}`,
        ),
      );
      log.info(
        `cluster ${cluster.name}: cacerts from the mesh root is in place, valid until ${report.notAfter}; unchanged`,
      );
      return 'unchanged';
    }
    if (!report.ok) {
      log.warn(
        `cluster ${
          cluster.name
        }: the cacerts in place is not usable (${report.errors
          .map(e => `${e.file} ${e.problem}`)
          .join('; ')}); replacing it with a new intermediate`,
      );
    }
  }
  const action = existing ? 'updated' : 'created';
  if (dryRun) {
    log.info(
      `cluster ${cluster.name}: would sign a new intermediate for ${
        options.clusterName
      } and ${
        existing ? 'update' : 'create'
      } Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET}`,
    );
    return action;
  }
  log.info(
    `cluster ${cluster.name}: signing an intermediate CA for ${options.clusterName} with ${env.rootCa.description}`,
  );
  const bundle = await createIntermediateCa(env.rootCa, {
    cluster: options.clusterName,
  });
  const report = validateCacerts(cacertsFiles(bundle));
  if (!report.ok) {
    throw new MeshStepError(
      cluster.name,
      STEP,
      `the new intermediate failed validation: ${report.errors
        .map(e => `${e.file} ${e.problem}`)
        .join('; ')}`,
      `check the mesh root (${env.rootCa.description}): it may expire before the intermediate would`,
    );
  }
  await storeCacerts(cluster, bundle, !!existing, STEP);
  log.info(
    `cluster ${cluster.name}: Secret ${ISTIO_SYSTEM}/${CACERTS_SECRET} ${action}, intermediate valid until ${report.notAfter}`,
  );
  return action;
}
