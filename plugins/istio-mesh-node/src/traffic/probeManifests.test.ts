import { DEFAULT_PROBE_IMAGES, trafficProbeManifests } from './probeManifests';

describe('trafficProbeManifests', () => {
  const options = {
    namespace: 'mesh-probe',
    images: DEFAULT_PROBE_IMAGES,
    run: 'task 1',
  };

  it('labels the namespace for injection and names the version after the cluster', () => {
    const [ns, , svc, hello, curl] = trafficProbeManifests('east', options);
    expect(ns.metadata!.labels).toMatchObject({
      'istio-injection': 'enabled',
      'istio-mesh.backstage.io/traffic-probe': 'true',
    });
    expect(ns.metadata!.annotations).toEqual({
      'istio-mesh.backstage.io/traffic-probe-run': 'task 1',
    });
    expect(svc).toMatchObject({
      kind: 'Service',
      metadata: { name: 'helloworld' },
      spec: { ports: [{ port: 5000 }] },
    });
    expect(hello).toMatchObject({
      metadata: { name: 'helloworld-east' },
      spec: { template: { metadata: { labels: { version: 'east' } } } },
    });
    expect(JSON.stringify(hello)).toContain('"SERVICE_VERSION","value":"east"');
    expect(curl).toMatchObject({
      metadata: { name: 'curl' },
      spec: { template: { metadata: { labels: { app: 'curl' } } } },
    });
  });

  it('injects from a revision when one is set', () => {
    const [ns] = trafficProbeManifests('east', {
      ...options,
      revision: 'canary',
    });
    expect(ns.metadata!.labels).toMatchObject({ 'istio.io/rev': 'canary' });
    expect(ns.metadata!.labels).not.toHaveProperty('istio-injection');
  });
});
