import { AssignedEndpoint } from './assignedEndpoints';
import { judgeRoutes, RouteExpectation } from './judgeRoutes';

const member = (
  cluster: string,
  overrides: Partial<RouteExpectation> = {},
): RouteExpectation => ({
  cluster,
  clusterName: cluster,
  network: `network-${cluster}`,
  gatewayAddress: { east: '127.1.0.2', west: '127.2.0.2' }[cluster],
  ready: 1,
  mtls: 1,
  readByIstiod: true,
  ...overrides,
});

const direct = (clusterName: string, address: string): AssignedEndpoint => ({
  address,
  port: 5000,
  weight: 1,
  clusterName,
  tlsMode: 'istio',
});
const gateway = (
  clusterName: string,
  address: string,
  weight: number,
): AssignedEndpoint => ({
  address,
  port: 15443,
  weight,
  clusterName,
  tlsMode: 'istio',
});
const client = { cluster: 'east', network: 'network-east' };

describe('judgeRoutes', () => {
  it('passes local endpoints direct and remote ones through their gateway, weighted by count', () => {
    const routes = judgeRoutes(
      client,
      [direct('east', '10.0.0.4'), gateway('west', '127.2.0.2', 2)],
      [member('east'), member('west', { ready: 2, mtls: 2 })],
    );
    expect(routes.map(r => [r.cluster, r.via, r.endpoints, r.ok])).toEqual([
      ['east', 'direct', 1, true],
      ['west', 'gateway', 2, true],
    ]);
    expect(routes[1].addresses).toEqual(['127.2.0.2:15443']);
  });

  it('counts gateway weight in units of a direct endpoint, which istiod scales', () => {
    const told = [
      { ...direct('east', '10.0.0.4'), weight: 2 },
      gateway('west', '127.2.0.2', 3),
      gateway('west', '127.2.0.3', 3),
    ];
    const [, west] = judgeRoutes(client, told, [
      member('east'),
      member('west', { ready: 3, mtls: 3 }),
    ]);
    expect(west).toMatchObject({ endpoints: 3, ok: false });
    expect(west.problem).toContain('127.2.0.3:15443');
  });

  it('expects uninjected remote endpoints to be left out, and says why', () => {
    const [, west] = judgeRoutes(
      client,
      [direct('east', '10.0.0.4'), gateway('west', '127.2.0.2', 1)],
      [member('east'), member('west', { ready: 2, mtls: 1 })],
    );
    expect(west).toMatchObject({ ok: true, endpoints: 1, expected: 1 });
    expect(west.leftOut).toMatchObject({ count: 1 });
    expect(west.leftOut!.fix).toContain('label the namespace');
  });

  it('fails pod addresses sent across networks with the network label fix', () => {
    const [, west] = judgeRoutes(
      client,
      [direct('east', '10.0.0.4'), direct('west', '10.0.0.9')],
      [member('east'), member('west')],
    );
    expect(west).toMatchObject({ ok: false, via: 'direct' });
    expect(west.fix).toContain('topology.istio.io/network=network-west');
  });

  it('fails a member told nothing of with the remote secret fix when istiod does not read it', () => {
    const [, west] = judgeRoutes(
      client,
      [direct('east', '10.0.0.4')],
      [member('east'), member('west', { readByIstiod: false })],
    );
    expect(west).toMatchObject({ ok: false, via: 'none' });
    expect(west.fix).toMatch(/^remote secret/);
  });

  it('passes a member with nothing to reach', () => {
    const [, west] = judgeRoutes(
      client,
      [direct('east', '10.0.0.4')],
      [member('east'), member('west', { ready: 0, mtls: 0 })],
    );
    expect(west).toMatchObject({ ok: true, via: 'none', expected: 0 });
  });
});
