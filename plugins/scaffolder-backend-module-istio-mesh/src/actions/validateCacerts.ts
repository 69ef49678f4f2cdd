import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  meshTrustedRootsPem,
  readCacertsDir,
  validateCacerts,
} from '@istio-mesh/plugin-istio-mesh-node';
import { MeshActionDeps, withMeshRun } from './meshActionDeps';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { validateCacertsExamples } from './validateCacerts.examples';

/**
 * Checks a cacerts directory in the workspace before anything writes it to a cluster.
 * Reports certificate facts only: the key is read to check it matches, never echoed.
 */
export function createValidateCacertsAction(deps: MeshActionDeps) {
  return createTemplateAction({
    id: 'istio:cacerts:validate',
    description:
      'Checks a cacerts bundle (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem) the way istiod loads it, plus the traps istiod accepts but that break TLS at runtime.',
    // It only reads the workspace, so a dry run runs it as it is.
    supportsDryRun: true,
    examples: validateCacertsExamples,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'Directory inside the workspace holding the cacerts files',
            ),
        meshId: z =>
          z
            .string()
            .optional()
            .describe(
              "A mesh whose members' istiods are asked which roots they trust: root-cert.pem must hold exactly those",
            ),
      },
      output: {
        notAfter: z =>
          z.string().optional().describe("The intermediate's expiry, ISO 8601"),
        warnings: z =>
          z
            .array(z.string())
            .describe('Problems that do not stop the bundle from loading'),
      },
    },
    async handler(ctx) {
      const dir = resolveSafeChildPath(ctx.workspacePath, ctx.input.path);
      let meshRootsPem: string | undefined;
      if (ctx.input.meshId) {
        await withMeshRun(
          deps,
          ctx,
          { meshAdmin: false },
          async ({ env, log }) => {
            meshRootsPem = await meshTrustedRootsPem(
              env,
              ctx.input.meshId!,
              log,
            );
          },
        );
      }
      const report = validateCacerts(await readCacertsDir(dir), {
        meshRootsPem,
      });
      const lines = (findings: typeof report.errors) =>
        findings.map(f => `${f.file} ${f.problem}; fix: ${f.fix}`);
      lines(report.warnings).forEach(w => ctx.logger.warn(w));
      if (!report.ok) {
        throw new Error(
          `cacerts bundle at ${ctx.input.path} is not usable:\n${lines(
            report.errors,
          ).join('\n')}`,
        );
      }
      ctx.logger.info(`cacerts bundle at ${ctx.input.path} is valid`);
      ctx.output('notAfter', report.notAfter);
      ctx.output('warnings', lines(report.warnings));
    },
  });
}
