import { V1Namespace } from '@kubernetes/client-node';
import { MEMBER_LABEL } from '../mesh/names';
import { memberLabelOnInstall } from './memberLabel';

const istioSystem = (label?: string): V1Namespace => ({
  metadata: {
    name: 'istio-system',
    labels: label === undefined ? {} : { [MEMBER_LABEL]: label },
  },
});

describe("the member label a join's install writes", () => {
  it('marks a new, unlabelled or departed cluster joining', () => {
    for (const ns of [undefined, istioSystem(), istioSystem('false')]) {
      expect(memberLabelOnInstall(ns)).toEqual({ [MEMBER_LABEL]: 'joining' });
    }
  });

  it('keeps a member a member when its join runs again', () => {
    expect(memberLabelOnInstall(istioSystem('true'))).toEqual({
      [MEMBER_LABEL]: 'true',
    });
  });
});
