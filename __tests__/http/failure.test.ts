// How a request that got no usable answer reads, and the secrets taken out of library text first.
import { ActionError } from '../../src/errors.js';
import { HttpError, RequestProblem, redact } from '../../src/http/failure.js';

test('an HttpError says how many attempts were made, the reason and the fix, and carries its code', () => {
  const failure = { code: 'TIMEOUT', reason: 'timed out after 10 s', hint: 'Try later.' };
  const error = new HttpError({ method: 'GET', url: 'https://api.github.com/app', attempts: 4, failure });
  expect(error).toBeInstanceOf(ActionError);
  expect(error).toMatchObject({ method: 'GET', url: 'https://api.github.com/app', attempts: 4, code: 'TIMEOUT' });
  expect(error.message).toBe(
    'GET https://api.github.com/app failed after 4 attempts: timed out after 10 s. Try later.',
  );
  expect(new HttpError({ method: 'GET', url: 'u', attempts: 1, failure: { code: 'X', reason: 'r' } }).message).toBe(
    'GET u failed after 1 attempt: r.',
  );
  expect(new HttpError({ method: 'POST', url: 'u', attempts: 0, failure: { code: 'X', reason: 'r' } }).message).toBe(
    'POST u was not sent: r.',
  );
});

test('a RequestProblem carries its Failure, with the reason as its message', () => {
  const failure = { code: 'TOO_LARGE', reason: 'too big', retryable: false };
  const problem = new RequestProblem(failure);
  expect(problem).toBeInstanceOf(Error);
  expect(problem.message).toBe('too big');
  expect(problem.failure).toBe(failure);
});

test('secrets are taken out whole and word by word; words too short to be secret stay', () => {
  expect(redact('header authorization: Bearer ghs_abcdef123456 refused', ['Bearer ghs_abcdef123456'])).toBe(
    'header authorization: *** refused',
  );
  expect(redact('token ghs_abcdef123456 in a message', ['Bearer ghs_abcdef123456'])).toBe('token *** in a message');
  expect(redact('the key abc was refused', ['abc'])).toBe('the key abc was refused');
  expect(redact('aaaaaaaaaa', ['aaaaaa', 'aaaaaaaaaa'])).toBe('***');
  expect(redact('nothing secret', [])).toBe('nothing secret');
});
