import { EmptyState, Link } from '@backstage/core-components';

export const JOIN_TEMPLATE_PATH =
  '/create/templates/default/add-cluster-to-mesh';

/** The empty state: not in any mesh yet, and how to join. */
export function JoinHint(props: { title: string; description: string }) {
  return (
    <EmptyState
      missing="data"
      title={props.title}
      description={props.description}
      action={
        <Link to={JOIN_TEMPLATE_PATH}>
          Add a cluster to the mesh with the "Add cluster to mesh" template
        </Link>
      }
    />
  );
}
