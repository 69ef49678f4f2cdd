import { isTransient } from './errors';

describe('isTransient', () => {
  it('retries what a moment may cure: a request timeout, a dropped connection, 429 and 5xx', () => {
    const timeout = new DOMException(
      'The operation was aborted due to timeout',
      'TimeoutError',
    );
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'ECONNREFUSED' },
    });
    for (const e of [timeout, refused, { code: 429 }, { code: 503 }])
      expect(isTransient(e)).toBe(true);
  });

  it('does not retry a cancellation, or a refusal of rights or input', () => {
    const cancelled = new DOMException(
      'This operation was aborted',
      'AbortError',
    );
    for (const e of [cancelled, { code: 403 }, { code: 404 }, { code: 422 }])
      expect(isTransient(e)).toBe(false);
  });
});
