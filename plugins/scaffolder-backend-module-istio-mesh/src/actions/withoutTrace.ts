import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The scaffolder writes a failed step's error.stack into the task log, which every
 * user who can see the task reads: the frames say nothing they can act on, and show the
 * backend's layout. Mesh errors name the cluster, the step and the fix in their
 * message, so that is what the log gets; the error's kind is kept, so the dry-run API
 * still answers 400 for bad input and 403 for a missing permission.
 */
export function withoutTrace(e: unknown): unknown {
  if (e instanceof Error) e.stack = `${e.name}: ${e.message}`;
  return e;
}

/** The action, its failures carrying their message and no stack frames. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function traceless<T extends TemplateAction<any, any, any>>(
  action: T,
): T {
  return {
    ...action,
    handler: async ctx => {
      try {
        return await action.handler(ctx);
      } catch (e) {
        throw withoutTrace(e);
      }
    },
  };
}
