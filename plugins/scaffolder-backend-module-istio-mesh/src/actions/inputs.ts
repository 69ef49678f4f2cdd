import { z } from 'zod/v3';

type Z = typeof z;

/** Input fields shared by the mesh actions, described once. */
export const meshInputs = {
  cluster: (zi: Z) =>
    zi
      .string()
      .describe(
        'The cluster, as named in the kubernetes plugin config and istioMesh.clusters',
      ),
  clusterName: (zi: Z) =>
    zi
      .string()
      .optional()
      .describe(
        "istiod's global.multiCluster.clusterName; defaults to the cluster's name",
      ),
  meshId: (zi: Z) =>
    zi.string().describe('global.meshID, the same on every member, e.g. mesh1'),
  network: (zi: Z) =>
    zi
      .string()
      .describe(
        'global.network and the east-west gateway network, e.g. network-east',
      ),
  istioVersion: (zi: Z) =>
    zi
      .string()
      .optional()
      .describe(
        'The Istio chart version to install, e.g. 1.30.2; defaults to istioMesh.charts.version',
      ),
  restartIstiodIfStale: (zi: Z) =>
    zi
      .boolean()
      .optional()
      .describe(
        "After the change, restart any member's istiod found stale (a member not synced, its endpoints or gateway missing, a gone cluster's gateway kept) instead of failing with that fix",
      ),
  gatewayAddress: (zi: Z) =>
    zi
      .string()
      .optional()
      .describe("The east-west gateway's LoadBalancer IP or hostname"),
  dryRun: (zi: Z) =>
    zi
      .boolean()
      .optional()
      .describe('Report what would change and change nothing'),
};

/**
 * What istio:mesh:helm and istio:mesh:install take and give: the istiod identity, the
 * chart version, and the east-west gateway's address.
 */
export const installSchema = {
  input: {
    cluster: meshInputs.cluster,
    clusterName: meshInputs.clusterName,
    meshId: meshInputs.meshId,
    network: meshInputs.network,
    istioVersion: meshInputs.istioVersion,
    dryRun: meshInputs.dryRun,
  },
  output: {
    gatewayAddress: meshInputs.gatewayAddress,
  },
};

/** istiod's identity from the action's input: clusterName defaults to the cluster. */
export function identityOf(input: {
  cluster: string;
  clusterName?: string;
  meshId: string;
  network: string;
}) {
  return {
    meshId: input.meshId,
    clusterName: input.clusterName || input.cluster,
    network: input.network,
  };
}
