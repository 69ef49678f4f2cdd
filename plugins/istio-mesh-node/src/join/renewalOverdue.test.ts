import { renewalOverdueReason } from './renewalOverdue';

const base = {
  renewDeadlineMs: 40_000,
  requestTimeoutMs: 10_000,
  loopBlockedMs: 20,
};

describe('renewalOverdueReason', () => {
  it('says the API server did not answer in time when the renewals timed out', () => {
    expect(
      renewalOverdueReason({
        ...base,
        lastFailure: 'The operation was aborted due to timeout',
        lastFailureTimedOut: true,
      }),
    ).toBe(
      'no renewal succeeded within 40s (the API server did not answer a renewal within 10s); the work stops here, before its next request',
    );
  });

  it('names a refusal as the API server gave it', () => {
    expect(
      renewalOverdueReason({ ...base, lastFailure: 'HTTP 403: forbidden' }),
    ).toContain('(the last renewal failed: HTTP 403: forbidden)');
  });

  it('tells a process that did not run apart from a slow API server', () => {
    const reason = renewalOverdueReason({ ...base, loopBlockedMs: 31_400 });
    expect(reason).toContain(
      '(this process did not run for 31s (its event loop was blocked, or the machine starved it of CPU))',
    );
    expect(reason).not.toContain('API server');
  });

  it('gives both causes when both happened', () => {
    expect(
      renewalOverdueReason({
        ...base,
        loopBlockedMs: 6_000,
        lastFailureTimedOut: true,
      }),
    ).toMatch(/did not run for 6s .*; the API server did not answer/);
  });

  it('says no more than it knows', () => {
    expect(renewalOverdueReason(base)).toBe(
      'no renewal succeeded within 40s; the work stops here, before its next request',
    );
  });
});
