import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { isNotFound } from '../mesh/errors';

export const FIELD_MANAGER = 'istio-mesh';

export type ApplyResult = 'created' | 'updated' | 'unchanged';

/** What a manifest changes in its object, ignoring what the server keeps for itself. */
function content(o: KubernetesObject | undefined): string {
  if (!o) return '';
  const {
    managedFields: _m,
    resourceVersion: _r,
    generation: _g,
    ...metadata
  } = o.metadata ?? {};
  const { status: _s, ...rest } = o as KubernetesObject & { status?: unknown };
  return JSON.stringify({ ...rest, metadata });
}

/**
 * Server-side apply, so a re-run converges and another manager's fields are not
 * clobbered silently. With dryRun the server computes the result and stores nothing;
 * the answer says what a real run would do.
 */
export async function applyObject(
  kubeConfig: KubeConfig,
  manifest: KubernetesObject,
  dryRun: boolean,
): Promise<ApplyResult> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  let before: KubernetesObject | undefined;
  try {
    before = await api.read({
      apiVersion: manifest.apiVersion!,
      kind: manifest.kind!,
      metadata: {
        name: manifest.metadata!.name!,
        namespace: manifest.metadata!.namespace,
      },
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const after = await api.patch(
    manifest,
    undefined,
    dryRun ? 'All' : undefined,
    FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
  if (!before) return 'created';
  return content(before) === content(after) ? 'unchanged' : 'updated';
}

/** A short name for messages: Kind namespace/name. */
export function describeObject(o: KubernetesObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind} ${ns}${o.metadata?.name}`;
}
