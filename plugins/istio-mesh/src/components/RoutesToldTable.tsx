import { StatusError, StatusOK, Table } from '@backstage/core-components';
import {
  describeToldRoute,
  ServiceRoutesTold,
  ToldRoute,
} from '@istio-mesh/plugin-istio-mesh-common';

function ToldRouteLine(props: { route: ToldRoute }) {
  const r = props.route;
  const how = describeToldRoute(r);
  const text = `${r.cluster}: ${how} (${r.endpoints} of ${r.expected})`;
  return (
    <div data-route-ok={r.ok}>
      {r.ok ? (
        <StatusOK>{text}</StatusOK>
      ) : (
        <StatusError>
          {text}: {r.problem}. Fix: {r.fix}
        </StatusError>
      )}
      {r.leftOut && (
        <div>
          {r.leftOut.count} left out: {r.leftOut.reason}. Fix: {r.leftOut.fix}
        </div>
      )}
    </div>
  );
}

/**
 * What a sidecar in each cluster is told about each Service, from istiod's config for
 * one connected proxy in that namespace, beside our own endpoint counts: a route that
 * is not as our counts say is red, with its fix.
 */
export function RoutesToldTable(props: { rows: ServiceRoutesTold[] }) {
  return (
    <Table<ServiceRoutesTold>
      title="What sidecars are told"
      subtitle="istiod's endpoints for one connected sidecar per cluster and namespace (/debug/edsz), judged against our counts"
      options={{ paging: false, search: false, padding: 'dense' }}
      data={props.rows}
      columns={[
        {
          title: 'Service',
          render: r => `${r.namespace}/${r.service}:${r.port}`,
        },
        { title: 'Sidecar in', field: 'cluster' },
        { title: 'Proxy', render: r => r.proxy ?? 'none connected' },
        {
          title: 'Told',
          render: r =>
            r.routes.map(route => (
              <ToldRouteLine key={route.cluster} route={route} />
            )),
        },
        {
          title: 'Verdict',
          render: r => (
            <span data-routes-told={r.state}>
              {r.state === 'agrees' ? (
                <StatusOK>{r.detail}</StatusOK>
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
