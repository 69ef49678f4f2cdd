import { ConfigReader } from '@backstage/config';
import { appConfigFragmentPath } from '@istio-mesh/local-clusters';
import {
  joinCluster,
  meshEnvironmentFromConfig,
} from '@istio-mesh/plugin-istio-mesh-node';
import { readFileSync } from 'node:fs';

/**
 * Joins the local clusters to mesh1, one after another, through the library with the
 * given root: the setup of a suite or benchmark that tests something else than the
 * join.
 */
export async function joinThroughLibrary(options: {
  clusters: string[];
  rootCaDir: string;
  holder: string;
}) {
  const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
  const env = meshEnvironmentFromConfig(
    new ConfigReader({
      kubernetes: fragment.kubernetes,
      istioMesh: {
        ...fragment.istioMesh,
        rootCa: { type: 'file', directory: options.rootCaDir },
      },
    }),
  );
  for (const cluster of options.clusters) {
    await joinCluster({
      env,
      request: {
        cluster,
        meshId: 'mesh1',
        network: `network-${cluster}`,
        istioVersion: env.istioVersion!,
        dryRun: false,
      },
      holder: options.holder,
      log: { info: () => undefined, warn: () => undefined },
    });
  }
}
