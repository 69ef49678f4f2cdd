import { labelSelectorProblem } from './labelSelector';

describe('labelSelectorProblem', () => {
  it.each([
    'app=reviews',
    'app==reviews,version!=v1',
    'backstage.io/kubernetes-id=reviews',
    'app in (reviews, ratings),!canary',
    'tier notin (frontend),env',
    'app=',
  ])('takes %j', selector => {
    expect(labelSelectorProblem(selector)).toBeUndefined();
  });

  it.each([
    'app=re views',
    'app="reviews"',
    'app=reviews\n',
    'app in (a,b',
    ',',
    '',
    'app=x;rm',
    'a'.repeat(1025),
  ])('refuses %j', selector => {
    expect(labelSelectorProblem(selector)).toMatch(
      /is not valid|longer than 1024/,
    );
  });
});
