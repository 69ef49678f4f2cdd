/**
 * The cluster a template names, from its config name or its catalog Resource's entity
 * reference (`resource:default/east`), as a MultiEntityPicker gives it: the catalog
 * name is the config name. Anything else is left as it is, for the input check to
 * refuse.
 *
 * @public
 */
export function clusterOfRef(ref: string): string {
  return ref.replace(
    /^(?:resource:)?(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\/)?/i,
    '',
  );
}
