import { member } from '../__testUtils__/member';
import { istiodKnowsGateways } from './istiodKnowsGateways';

const gatewayOf = (name: string) => ({
  network: `network-${name}`,
  cluster: name,
  address: `127.1.0.${name.length}`,
  port: 15443,
});

describe('istiodKnowsGateways', () => {
  it("passes when each istiod holds every other network's gateway at its Service's address", () => {
    expect(
      istiodKnowsGateways.judge([
        member('east', { istiodView: { gateways: [gatewayOf('west')] } }),
        member('west', { istiodView: { gateways: [gatewayOf('east')] } }),
      ]),
    ).toMatchObject({ state: 'pass', clusters: [] });
  });

  it('fails for a gateway istiod holds at another address, and for a network it lacks', () => {
    expect(
      istiodKnowsGateways.judge([
        member('east', {
          istiodView: {
            gateways: [{ ...gatewayOf('west'), address: '127.9.9.9' }],
          },
        }),
        member('west', { istiodView: { gateways: [] } }),
      ]),
    ).toMatchObject({
      state: 'fail',
      detail:
        "east's istiod has no gateway for network-west at 127.1.0.4; west's istiod has no gateway for network-east at 127.1.0.4",
      clusters: ['east', 'west'],
    });
  });

  it('compares a hostname gateway with the addresses istiod resolved it to, and says so', () => {
    const hostname = 'istio-eastwestgateway-127-2-0-2.lb.mesh.test';
    const west = member('west', {
      gateway: { address: hostname, network: 'network-west', ports: [] },
      istiodView: { gateways: [gatewayOf('east')] },
    });
    const resolved = { ...gatewayOf('west'), address: '127.2.0.2' };
    expect(
      istiodKnowsGateways.judge([
        member('east', { istiodView: { gateways: [resolved] } }),
        west,
      ]),
    ).toMatchObject({
      state: 'pass',
      detail: `2 istiods route to every other network's gateway (west's ${hostname}, resolved by istiod to 127.2.0.2)`,
    });
    expect(
      istiodKnowsGateways.judge([
        member('east', { istiodView: { gateways: [] } }),
        west,
      ]),
    ).toMatchObject({
      state: 'fail',
      detail: `east's istiod has no gateway for network-west at ${hostname} (no address resolved: istiod resolves it through its own DNS)`,
    });
  });

  it('needs no gateway for a member on its own network', () => {
    expect(
      istiodKnowsGateways.judge([
        member('east', { istiodView: { gateways: [] } }),
        member('west', {
          network: 'network-east',
          istiodView: { gateways: [] },
        }),
      ]).state,
    ).toBe('pass');
  });
});
