import { linked, member } from '../__testUtils__/member';
import { remoteSecretGraph, remoteSecretLinks } from './remoteSecretGraph';

describe('remoteSecretGraph', () => {
  it('passes with a remote secret for every ordered pair', () => {
    expect(
      remoteSecretGraph.judge(
        linked([member('east'), member('west'), member('north')]),
      ),
    ).toMatchObject({ state: 'pass', detail: 'all 6 links present' });
  });

  it('names each missing direction', () => {
    const [east, west] = linked([member('east'), member('west')]);
    expect(
      remoteSecretGraph.judge([{ ...east, remoteSecrets: [] }, west]),
    ).toMatchObject({
      state: 'fail',
      detail: 'missing: east has no remote secret for west',
      clusters: ['east'],
    });
  });

  it("matches a secret by its cluster annotation, whatever it is named, else by istioctl's name", () => {
    const east = member('east', {
      remoteSecrets: [{ name: 'renamed', cluster: 'west' }],
    });
    const west = member('west', {
      remoteSecrets: [{ name: 'istio-remote-secret-east' }],
    });
    const other = member('north', {
      remoteSecrets: [
        { name: 'istio-remote-secret-east', cluster: 'somewhere-else' },
      ],
    });
    expect(
      remoteSecretLinks([east, west, other]).filter(l => l.present),
    ).toEqual([
      { from: 'east', to: 'west', present: true },
      { from: 'west', to: 'east', present: true },
    ]);
  });
});
