import { member } from '../__testUtils__/member';
import { sameRoot } from './sameRoot';

describe('sameRoot', () => {
  it('passes on one published root', () => {
    expect(sameRoot.judge([member('east'), member('west')])).toMatchObject({
      state: 'pass',
      detail: 'one root, sha256 aaaaaaaaaaaa',
    });
  });

  it('names the odd members, the minority, when roots differ', () => {
    expect(
      sameRoot.judge([
        member('east'),
        member('west'),
        member('north', { rootFingerprint: 'b'.repeat(64) }),
      ]),
    ).toMatchObject({ state: 'fail', clusters: ['north'] });
  });

  it('fails where istiod has published no root', () => {
    expect(
      sameRoot.judge([
        member('east'),
        member('west', { rootFingerprint: undefined }),
      ]),
    ).toMatchObject({ state: 'fail', clusters: ['west'] });
  });
});
