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
