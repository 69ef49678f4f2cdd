import { EmptyState, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { ADD_CLUSTER_TEMPLATE, addClusterToMeshRouteRef } from '../routes';

/** The empty state: not in any mesh yet, and how to join. */
export function JoinHint(props: { title: string; description: string }) {
  const templateLink = useRouteRef(addClusterToMeshRouteRef);
  return (
    <EmptyState
      missing="data"
      title={props.title}
      description={props.description}
      action={
        templateLink && (
          <Link to={templateLink(ADD_CLUSTER_TEMPLATE)}>
            Add a cluster to the mesh with the "Add cluster to mesh" template
          </Link>
        )
      }
    />
  );
}
