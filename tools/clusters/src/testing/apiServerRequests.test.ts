import { sumOpenStreams, sumRequests } from './apiServerRequests';

describe("the API server's request count", () => {
  it('sums the series of one verb and the resources named, leaving subresources out', () => {
    const metrics = [
      '# HELP apiserver_request_total [STABLE] Counter of apiserver requests',
      'apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} 7',
      'apiserver_request_total{code="200",component="apiserver",dry_run="",group="discovery.k8s.io",resource="endpointslices",scope="namespace",subresource="",verb="LIST",version="v1"} 5',
      'apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"} 3',
      'apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="log",verb="LIST",version="v1"} 2',
      'apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="services",scope="namespace",subresource="",verb="LIST",version="v1"} 11',
    ].join('\n');
    expect(
      sumRequests(metrics, {
        verb: 'LIST',
        resources: ['pods', 'endpointslices'],
      }),
    ).toBe(12);
  });

  it('sums the open long-running requests of one subresource', () => {
    const metrics = [
      'apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="namespace",subresource="portforward",verb="CONNECT",version="v1"} 2',
      'apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="namespace",subresource="exec",verb="CONNECT",version="v1"} 1',
      'apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="cluster",subresource="",verb="WATCH",version="v1"} 4',
    ].join('\n');
    expect(
      sumOpenStreams(metrics, { resource: 'pods', subresource: 'portforward' }),
    ).toBe(2);
    expect(
      sumOpenStreams(metrics, { resource: 'pods', subresource: 'attach' }),
    ).toBe(0);
  });
});
