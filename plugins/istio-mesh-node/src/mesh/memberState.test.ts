import { V1Namespace } from '@kubernetes/client-node';
import { MEMBER_LABEL } from './names';
import { memberStateOf } from './memberState';

const istioSystem = (label?: string): V1Namespace => ({
  metadata: {
    name: 'istio-system',
    labels: label === undefined ? {} : { [MEMBER_LABEL]: label },
  },
});

describe('the member label on istio-system', () => {
  it.each([
    ['true', 'member'],
    ['joining', 'joining'],
    ['false', 'left'],
    [undefined, 'member'],
  ])('reads %s as %s', (label, state) => {
    expect(memberStateOf(istioSystem(label))).toBe(state);
  });

  it('reads a cluster without istio-system as not left: istiod decides', () => {
    expect(memberStateOf(undefined)).toBe('member');
  });
});
