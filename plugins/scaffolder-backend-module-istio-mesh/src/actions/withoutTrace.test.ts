import { NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { traceless } from './withoutTrace';

describe('traceless', () => {
  it("keeps a failure's kind and message, and drops its stack frames", async () => {
    const action = traceless(
      createTemplateAction({
        id: 'test:fails',
        async handler() {
          throw new NotAllowedError('changing the mesh needs istio-mesh.admin');
        },
      }),
    );
    const failure = await action
      .handler(createMockActionContext())
      .catch((e: Error) => e);
    expect(failure).toBeInstanceOf(NotAllowedError);
    expect((failure as Error).stack).toBe(
      'NotAllowedError: changing the mesh needs istio-mesh.admin',
    );
  });
});
