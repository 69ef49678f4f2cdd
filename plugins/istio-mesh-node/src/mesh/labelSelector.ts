const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const PREFIX = '[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?';
const KEY = `(${PREFIX}/)?${NAME}`;
const VALUE = `(${NAME})?`;
const REQUIREMENT = new RegExp(
  [
    `^!?${KEY}$`,
    `^${KEY} *(=|==|!=) *${VALUE}$`,
    `^${KEY} +(in|notin) *\\( *${VALUE}( *, *${VALUE})* *\\)$`,
  ].join('|'),
);

/** The longest selector the status API takes; the kubernetes plugin's are far shorter. */
export const MAX_SELECTOR_LENGTH = 1024;

/**
 * What is wrong with a Kubernetes label selector, by the API server's grammar
 * (k8s.io/apimachinery/pkg/labels): comma-separated requirements, each `key`, `!key`,
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)` or `key notin (a,b)`.
 *
 * @public
 */
export function labelSelectorProblem(selector: string): string | undefined {
  if (selector.length > MAX_SELECTOR_LENGTH) {
    return `label selector is longer than ${MAX_SELECTOR_LENGTH} characters`;
  }
  const requirements: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      requirements.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  requirements.push(current);
  const spaced = (r: string) => r.replace(/^ +| +$/g, '');
  const bad = requirements.find(r => !REQUIREMENT.test(spaced(r)));
  return bad === undefined
    ? undefined
    : `label selector ${JSON.stringify(
        selector,
      )} is not valid: ${JSON.stringify(
        spaced(bad),
      )} is not key, !key, key=value, key!=value, key in (…) or key notin (…)`;
}
