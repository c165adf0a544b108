// What one attempt shares across both clients: the headers it refuses to send, the signal that ends it, and
// which reason wins when it fails.
import { attemptFailure, attemptSignal, checkHeaders } from '../../src/http/attempt.js';
import { RequestProblem } from '../../src/http/failure.js';
import { createDeadline, DEFAULT_LIMITS } from '../../src/http/limits.js';

const target = new URL('https://api.github.com/app');

test.each([
  ['a trailing newline', 'Bearer ghs_secret\n'],
  ['a carriage return inside', 'Bearer ghs_se\rcret'],
  ['a NUL', 'Bearer ghs_se\0cret'],
  ['a leading space', ' Bearer ghs_secret'],
  ['a trailing tab', 'Bearer ghs_secret\t'],
])('a header value with %s is refused, unsent, without quoting it', (_what, value) => {
  let problem: unknown;
  try {
    checkHeaders({ accept: 'application/json', authorization: value });
  } catch (error) {
    problem = error;
  }
  expect(problem).toBeInstanceOf(RequestProblem);
  expect((problem as RequestProblem).failure).toEqual({
    code: 'INVALID_REQUEST',
    reason: "the value of header 'authorization' has a line break, a control character or surrounding whitespace",
    hint: 'If it comes from a secret, store the secret without a trailing newline or spaces.',
    retryable: false,
    notSent: true,
  });
});

test('ordinary header values pass', () => {
  expect(() => checkHeaders({ authorization: 'Bearer a.b.c', 'x-empty': '', accept: 'a, b' })).not.toThrow();
});

test("an attempt's signal aborts at its own timeout, or at the step's deadline if that comes first", async () => {
  const timeout = attemptSignal({ ...DEFAULT_LIMITS, requestTimeoutMs: 50 }, createDeadline(10_000));
  const deadline = createDeadline(50);
  const early = attemptSignal(DEFAULT_LIMITS, deadline);
  await Promise.all(
    [timeout, early].map((signal) => new Promise((resolve) => signal.addEventListener('abort', resolve))),
  );
  expect(timeout.reason).toMatchObject({ name: 'TimeoutError' });
  expect(early.reason).toBe(deadline.signal.reason);
});

test("a failure reads as the RequestProblem's own, then the deadline, then the timeout, then the network error", () => {
  const limits = { ...DEFAULT_LIMITS, requestTimeoutMs: 300 };
  const live = createDeadline(10_000);
  const context = { target, proxy: undefined, limits, deadline: live };
  const idle = new AbortController().signal;
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const own = { code: 'TOO_LARGE', reason: 'too big', retryable: false };
  expect(attemptFailure(new RequestProblem(own), AbortSignal.abort(), context)).toBe(own);
  expect(attemptFailure(refused, idle, context).code).toBe('ECONNREFUSED');
  expect(attemptFailure(refused, AbortSignal.abort(), context)).toEqual({
    code: 'TIMEOUT',
    reason: 'timed out after 300 ms',
    retryable: true,
  });
  const passed = { ...live, signal: AbortSignal.abort(), describe: () => 'the deadline' };
  expect(attemptFailure(refused, AbortSignal.abort(), { ...context, deadline: passed })).toEqual({
    code: 'DEADLINE',
    reason: 'no complete answer came before the deadline passed',
    hint: 'The server or the network is too slow; run the job again later.',
    retryable: false,
  });
});
