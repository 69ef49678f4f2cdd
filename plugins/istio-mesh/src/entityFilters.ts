import { Entity } from '@backstage/catalog-model';

/**
 * Components and Systems: the entities whose services the Mesh tab shows.
 *
 * @public
 */
export function isMeshWorkload(entity: Entity): boolean {
  return ['component', 'system'].includes(
    entity.kind.toLocaleLowerCase('en-US'),
  );
}

/**
 * kubernetes-cluster Resources: the entities whose membership the Mesh tab shows.
 *
 * @public
 */
export function isKubernetesCluster(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: string } | undefined)?.type ===
      'kubernetes-cluster'
  );
}
