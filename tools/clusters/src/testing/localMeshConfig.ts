import { readFileSync } from 'node:fs';
import { appConfigFragmentPath } from '../paths';

/**
 * The config the portal reads for the running local clusters (`kubernetes` and
 * `istioMesh` of app-config.clusters.yaml), with the mesh root kept in the given
 * directory: what a suite or benchmark builds its mesh environment from.
 */
export function localMeshConfig(rootCaDir: string) {
  const fragment = JSON.parse(readFileSync(appConfigFragmentPath, 'utf8'));
  return {
    kubernetes: fragment.kubernetes,
    istioMesh: {
      ...fragment.istioMesh,
      rootCa: { type: 'file', directory: rootCaDir },
    },
  };
}
