import { member, synced } from '../__testUtils__/member';
import { istiodReadsMembers } from './istiodReadsMembers';

describe('istiodReadsMembers', () => {
  it('is not asked, with each reason, when no istiod could be asked', () => {
    expect(
      istiodReadsMembers.judge([
        member('east', {
          istiodNotAsked: "skipped by the run's skipIstiodChecks input",
        }),
        member('west', { istiodNotAsked: 'istiod is not installed' }),
      ]),
    ).toMatchObject({
      state: 'not-asked',
      detail:
        "istiod was not asked (east: skipped by the run's skipIstiodChecks input; west: istiod is not installed)",
      clusters: ['east', 'west'],
    });
  });

  it('passes when every asked istiod lists the others as synced', () => {
    expect(
      istiodReadsMembers.judge([
        member('east', {
          istiodView: { clusters: [synced('east'), synced('west')] },
        }),
        member('west', {
          istiodView: { clusters: [synced('west'), synced('east')] },
        }),
      ]),
    ).toMatchObject({
      state: 'pass',
      detail: '2 istiods list every other member as synced',
    });
  });

  it('says which members it could not ask beside a pass', () => {
    expect(
      istiodReadsMembers.judge([
        member('east', { istiodView: { clusters: [synced('west')] } }),
        member('west', { istiodNotAsked: 'istiod is not installed' }),
      ]).detail,
    ).toBe(
      '1 istiod list every other member as synced (not asked: west: istiod is not installed)',
    );
  });

  it('names what each istiod misses, and an istiod that did not answer', () => {
    expect(
      istiodReadsMembers.judge([
        member('east', {
          istiodView: { clusters: [{ id: 'west', syncStatus: 'timeout' }] },
        }),
        member('west', { istiodView: { clusters: [synced('west')] } }),
        member('north', {
          istiodView: { error: 'istiod of cluster north did not answer' },
        }),
      ]),
    ).toMatchObject({
      state: 'fail',
      detail:
        "east's istiod: west timeout, north missing; west's istiod: east missing, north missing; north's istiod: istiod of cluster north did not answer",
      clusters: ['east', 'west', 'north'],
    });
  });
});
