import {
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  EndpointRoute,
  EntityEndpointsResponse,
  EntityWorkloadQuery,
  IstiodEndpointsCrossCheck,
  ServiceEndpoints,
} from '@istio-mesh/plugin-istio-mesh-common';
import useAsync from 'react-use/esm/useAsync';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import { KUBERNETES_NAMESPACE_ANNOTATION } from '@istio-mesh/plugin-istio-mesh-common';
import { istioMeshApiRef } from '../api';
import { JoinHint } from './JoinHint';
import { RoutesToldTable } from './RoutesToldTable';

/** The kubernetes plugin's annotations that find an entity's workloads. */
export function workloadQuery(annotations: Record<string, string> = {}) {
  const query: EntityWorkloadQuery = {
    kubernetesId: annotations[KUBERNETES_ANNOTATION],
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION],
    labelSelector: annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION],
  };
  return query.kubernetesId || query.labelSelector ? query : undefined;
}

function routeText(r: EndpointRoute): string {
  if (r.via === 'direct') return 'local';
  // Every endpoint left out: the route names why, and how many.
  if (r.leftOut && !r.endpoints) return `${r.via} (${r.leftOut.count})`;
  return `via ${r.via}`;
}

function Route(props: { row: ServiceEndpoints }) {
  return (
    <>
      {props.row.routes.map(r => (
        <div key={r.fromNetwork}>
          from {r.fromNetwork}: {routeText(r)}
          {r.leftOut && (
            <div data-left-out>
              {r.leftOut.reason}. Fix: {r.leftOut.fix}
            </div>
          )}
        </div>
      ))}
    </>
  );
}

/** The Mesh tab of a Component or System: its services × clusters. */
export function EntityMeshContent() {
  const { entity } = useEntity();
  const api = useApi(istioMeshApiRef);
  const query = workloadQuery(entity.metadata.annotations);
  const { value, loading, error } = useAsync(
    async () => (query?.namespace ? api.entityEndpoints(query) : undefined),
    [api, JSON.stringify(query)],
  );
  if (!query) {
    return (
      <JoinHint
        title="No Kubernetes workloads"
        description={`Annotate the entity with ${KUBERNETES_ANNOTATION} (or ${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION}) so the mesh can find its services.`}
      />
    );
  }
  if (!query.namespace) {
    return (
      <JoinHint
        title="No Kubernetes namespace"
        description={`Annotate the entity with ${KUBERNETES_NAMESPACE_ANNOTATION}: the mesh looks for its services in that namespace of every cluster.`}
      />
    );
  }
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.endpoints.length === 0) {
    return (
      <JoinHint
        title="Not in any mesh"
        description="None of this entity's services run in a cluster of the mesh."
      />
    );
  }
  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <ServicesTable value={value} />
      </Grid>
      {value.routesTold.length > 0 && (
        <Grid item>
          <RoutesToldTable rows={value.routesTold} />
        </Grid>
      )}
      {value.istiodCrossChecks.length > 0 && (
        <Grid item>
          <IstiodCrossCheckTable checks={value.istiodCrossChecks} />
        </Grid>
      )}
    </Grid>
  );
}

/**
 * Each member istiod's endpoints for these services against our own count: the proof
 * that Istio itself sees what the table above shows.
 */
function IstiodCrossCheckTable(props: { checks: IstiodEndpointsCrossCheck[] }) {
  const shards = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort()
      .map(([shard, n]) => `${shard}: ${n}`)
      .join(', ') || 'none';
  return (
    <Table<IstiodEndpointsCrossCheck>
      title="istiod cross-check"
      subtitle="Endpoints each cluster's istiod holds (/debug/endpointShardz), against our count"
      options={{ paging: false, search: false, padding: 'dense' }}
      data={props.checks}
      columns={[
        { title: 'Service', render: r => `${r.namespace}/${r.service}` },
        { title: 'istiod of', field: 'cluster' },
        { title: 'istiod holds', render: r => shards(r.istiod) },
        { title: 'We count', render: r => shards(r.ours) },
        {
          title: 'Verdict',
          render: r => (
            <span data-istiod-check={r.state}>
              {r.state === 'agrees' ? (
                <StatusOK>agrees</StatusOK>
              ) : (
                <StatusError>
                  {r.state}: {r.detail}
                </StatusError>
              )}
            </span>
          ),
        },
      ]}
    />
  );
}

function ServicesTable(props: { value: EntityEndpointsResponse }) {
  const { value } = props;
  return (
    <Table<ServiceEndpoints>
      title="Services across the mesh"
      subtitle={
        [
          ...value.unreachable.map(u => `Down: ${u.cluster} (${u.error})`),
          ...(value.truncated ?? []).map(
            t => `${t.cluster}: the first ${t.shown} Services`,
          ),
        ].join('; ') || undefined
      }
      options={{ paging: false, search: false, padding: 'dense' }}
      data={value.endpoints}
      columns={[
        { title: 'Service', render: r => `${r.namespace}/${r.service}` },
        { title: 'Cluster', field: 'cluster' },
        { title: 'Network', render: r => r.network ?? 'none' },
        {
          title: 'Endpoints',
          render: r =>
            r.ready === r.total && r.total > 0 ? (
              <StatusOK>
                {r.ready}/{r.total}
              </StatusOK>
            ) : (
              <StatusError>
                {r.ready}/{r.total}
              </StatusError>
            ),
        },
        { title: 'Route', render: r => <Route row={r} /> },
        {
          title: 'Problems',
          render: r =>
            r.problems.length ? (
              <StatusError>{r.problems.join('; ')}</StatusError>
            ) : (
              ''
            ),
        },
      ]}
    />
  );
}
