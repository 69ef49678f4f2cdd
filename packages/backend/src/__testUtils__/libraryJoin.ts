import { ConfigReader } from '@backstage/config';
import { localMeshConfig } from '@istio-mesh/local-clusters';
import {
  joinCluster,
  MeshEnvironment,
  meshEnvironmentFromConfig,
} from '@istio-mesh/plugin-istio-mesh-node';

/**
 * Joins the local clusters to mesh1, one after another, through the library with the
 * given root: the setup of a suite or benchmark that tests something else than the
 * join. Returns the environment the joins used.
 */
export async function joinThroughLibrary(options: {
  clusters: string[];
  rootCaDir: string;
  holder: string;
}): Promise<MeshEnvironment> {
  const env = meshEnvironmentFromConfig(
    new ConfigReader(localMeshConfig(options.rootCaDir)),
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
  return env;
}
