import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import { meshChecks } from './meshChecks';

const member = (
  name: string,
  istiodView?: ClusterMembership['istiodView'],
): ClusterMembership => ({
  cluster: name,
  reachable: true,
  meshId: 'mesh1',
  clusterName: name,
  network: `network-${name}`,
  remoteSecrets: [],
  istiodView,
});

const istiodCheck = (members: ClusterMembership[]) =>
  meshChecks(members).find(c => c.id === 'istiod-reads-members')!;

describe('the istiod-reads-members check', () => {
  it('is unknown when no istiod could be asked', () => {
    expect(istiodCheck([member('east'), member('west')])).toMatchObject({
      state: 'unknown',
      detail: 'no istiod debug address configured',
    });
  });

  it('passes when every asked istiod lists the others as synced', () => {
    const synced = (id: string) => ({ id, syncStatus: 'synced' });
    expect(
      istiodCheck([
        member('east', { clusters: [synced('east'), synced('west')] }),
        member('west', { clusters: [synced('west'), synced('east')] }),
      ]),
    ).toMatchObject({
      state: 'pass',
      detail: '2 istiods list every other member as synced',
    });
  });

  it('names what each istiod misses, and an istiod it could not ask', () => {
    expect(
      istiodCheck([
        member('east', { clusters: [{ id: 'west', syncStatus: 'timeout' }] }),
        member('west', { clusters: [{ id: 'west', syncStatus: 'synced' }] }),
        member('north', { error: 'istiod of cluster north did not answer' }),
      ]),
    ).toMatchObject({
      state: 'fail',
      detail:
        "east's istiod: west timeout, north missing; west's istiod: east missing, north missing; north's istiod: istiod of cluster north did not answer",
      clusters: ['east', 'west', 'north'],
    });
  });
});
