import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { istioVersionProblem } from '../mesh/istioVersion';
import { ChartName } from '../mesh/names';

/** Chart directory names inside Istio's helm repository and OCI registry. */
const CHARTS: Record<ChartName, string> = {
  base: 'base',
  istiod: 'istiod',
  gateway: 'gateway',
};

/**
 * Where Istio's charts come from: a helm repository, an OCI registry, or a local
 * directory of packaged charts (air-gapped portals, and the tests).
 *
 * @public
 */
export type ChartSource =
  | { type: 'repo'; url: string }
  | { type: 'oci'; url: string }
  | { type: 'directory'; path: string };

/** The helm arguments that pick one chart at one version. */
export function chartArgs(
  source: ChartSource,
  chart: ChartName,
  version: string,
): string[] {
  const name = CHARTS[chart];
  switch (source.type) {
    case 'repo':
      return [name, '--repo', source.url, '--version', version];
    case 'oci':
      return [`${source.url.replace(/\/$/, '')}/${name}`, '--version', version];
    case 'directory': {
      // The version becomes part of a path: only an exact chart version may.
      const problem = istioVersionProblem(version);
      if (problem) throw new Error(problem);
      const file = join(source.path, `${name}-${version}.tgz`);
      if (!existsSync(file)) {
        throw new Error(
          `chart ${name} ${version} is not in ${source.path}: expected ${file}; package it with helm package, or pick a version that is there`,
        );
      }
      return [file];
    }
    default:
      throw new Error(
        `istioMesh.charts.type must be repo, oci or directory; got "${
          (source as { type: unknown }).type
        }"`,
      );
  }
}
