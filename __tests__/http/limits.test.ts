// The bounds of a step: the defaults, the deadline from APP_JWT_DEADLINE_SECONDS, and the deadline itself.
import { createDeadline, DEFAULT_LIMITS, DeadlineReached, limitsFromEnv } from '../../src/http/limits.js';

test('the defaults: 1 MiB a body, 10 s an attempt, 120 s a step', () => {
  expect(DEFAULT_LIMITS).toEqual({ maxBodyBytes: 1024 * 1024, requestTimeoutMs: 10_000, deadlineMs: 120_000 });
  expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
});

test('APP_JWT_DEADLINE_SECONDS sets the step deadline; a value that is not a positive number is ignored', () => {
  expect(limitsFromEnv({ APP_JWT_DEADLINE_SECONDS: '2.5' })).toEqual({ ...DEFAULT_LIMITS, deadlineMs: 2500 });
  for (const value of ['0', '-1', 'soon', ''])
    expect(limitsFromEnv({ APP_JWT_DEADLINE_SECONDS: value })).toEqual(DEFAULT_LIMITS);
});

test('a deadline counts down by its clock, says what it is, and aborts its signal when it passes', async () => {
  let now = 1000;
  const deadline = createDeadline(150, () => now);
  expect(deadline.totalMs).toBe(150);
  expect(deadline.remainingMs()).toBe(150);
  now += 100;
  expect(deadline.remainingMs()).toBe(50);
  now += 100;
  expect(deadline.remainingMs()).toBe(0);
  expect(deadline.describe()).toBe("the step's deadline (150 ms for all requests, retries and waits)");
  expect(deadline.signal.aborted).toBe(false);
  await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
  expect(deadline.signal.reason).toBeInstanceOf(DeadlineReached);
});
