/**
 * A failed step of a mesh operation. The message names the cluster, the step and the
 * fix, because it is what a platform engineer reads in the scaffolder log.
 *
 * @public
 */
export class MeshStepError extends Error {
  constructor(
    readonly cluster: string,
    readonly step: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`cluster ${cluster}, step ${step}: ${problem}. Fix: ${fix}`);
    this.name = 'MeshStepError';
  }
}

/**
 * A failed step of an operation on a whole mesh, such as a root rotation: the message
 * names the mesh; the members at fault are named in the problem.
 *
 * @public
 */
export class MeshWideStepError extends MeshStepError {
  constructor(
    readonly meshId: string,
    step: string,
    problem: string,
    fix: string,
  ) {
    super(meshId, step, problem, fix);
    this.message = `mesh ${meshId}, step ${step}: ${problem}. Fix: ${fix}`;
    this.name = 'MeshWideStepError';
  }
}

/** The status code and server message of a failed Kubernetes API call, without its body. */
export function describeKubeError(e: unknown): string {
  const err = e as {
    code?: number;
    body?: unknown;
    message?: string;
    cause?: { code?: string };
  };
  let reason: string | undefined;
  if (typeof err.body === 'string') {
    try {
      reason = JSON.parse(err.body).message;
    } catch {
      reason = undefined;
    }
  } else if (err.body && typeof err.body === 'object') {
    reason = (err.body as { message?: string }).message;
  }
  if (err.code && err.code >= 100) {
    return `HTTP ${err.code}${reason ? `: ${reason}` : ''}`;
  }
  return err.cause?.code ?? err.message ?? String(e);
}

export function isNotFound(e: unknown): boolean {
  return (e as { code?: number }).code === 404;
}

export function isConflict(e: unknown): boolean {
  return (e as { code?: number }).code === 409;
}

/** A request given up because it was not answered within its time (not a cancellation). */
export function isTimeout(e: unknown): boolean {
  const err = e as { name?: string; message?: string };
  return (
    err.name === 'TimeoutError' ||
    /aborted due to timeout/.test(err.message ?? '')
  );
}

/**
 * A failed request a retry may cure: no answer within the request's time (not a
 * cancellation), a refused or dropped connection, or an API server that is
 * overloaded or not ready (429, 5xx). Refusals of rights or input are not.
 */
export function isTransient(e: unknown): boolean {
  const err = e as {
    code?: number | string;
    message?: string;
    cause?: { code?: string };
  };
  if (isTimeout(e)) return true;
  // DOMExceptions carry small numeric codes of their own: HTTP statuses start at 100.
  if (typeof err.code === 'number' && err.code >= 100)
    return err.code === 429 || err.code >= 500;
  return (
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/.test(err.cause?.code ?? '') ||
    err.message === 'fetch failed'
  );
}

/**
 * The fix for a failed Kubernetes write: the rights it needs when the API server
 * refused them, else the API server itself, which did not answer as it should.
 */
export function kubeWriteFix(e: unknown, rights: string): string {
  const code = (e as { code?: number }).code;
  return code === 401 || code === 403
    ? rights
    : 'make sure the API server is up and answers, then re-run: the step converges';
}
