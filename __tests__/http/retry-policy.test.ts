// The policy alone: which answers are worth another attempt, how long to wait, and how waits read. The loop
// that applies it to real answers is tested in retry.test.ts.
import { headerLookup, type ApiResponse } from '../../src/http/response.js';
import {
  backoffDelay,
  formatBytes,
  formatDuration,
  parseRetryAfter,
  retryVerdict,
  waitTooLong,
} from '../../src/http/retry-policy.js';
import { HTTP_DATE, HTTP_DATE_MS } from './servers.js';

function answer(status: number, headers: Record<string, string> = {}, body: unknown = ''): ApiResponse {
  const lookup = headerLookup(headers);
  const date = lookup.get('date');
  return { status, headers: lookup, body, date: date ? new Date(date) : undefined };
}

const verdict = (response: ApiResponse, maxWaitMs = 60_000) => retryVerdict(response, HTTP_DATE_MS, maxWaitMs);

test('Retry-After is read as seconds or as an HTTP date; a date past means no wait, and nonsense is ignored', () => {
  expect(parseRetryAfter('5', 0)).toBe(5000);
  expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  expect(parseRetryAfter(new Date(HTTP_DATE_MS + 90_000).toUTCString(), HTTP_DATE_MS)).toBe(90_000);
  expect(parseRetryAfter(new Date(HTTP_DATE_MS - 90_000).toUTCString(), HTTP_DATE_MS)).toBe(0);
  expect(parseRetryAfter('soon', 0)).toBeUndefined();
  for (const odd of ['-5', '1.5', '5s', '2026-11-25']) expect(parseRetryAfter(odd, 0)).toBeUndefined();
  expect(parseRetryAfter('Wednesday, 25-Nov-26 12:01:00 GMT', HTTP_DATE_MS)).toBe(60_000);
  expect(parseRetryAfter(null, 0)).toBeUndefined();
});

test.each([500, 502, 503, 504, 599])('HTTP %i is worth another attempt, backing off', (status) => {
  expect(verdict(answer(status))).toEqual({ reason: `HTTP ${status}`, summary: `HTTP ${status}` });
});

test.each([200, 201, 204, 301, 400, 401, 403, 404, 409, 422])('HTTP %i is the answer', (status) => {
  expect(verdict(answer(status))).toBeUndefined();
});

test.each([400, 401, 404, 409, 422])('HTTP %i is the answer even with a Retry-After', (status) => {
  expect(verdict(answer(status, { 'retry-after': '1' }))).toBeUndefined();
});

test('a 200 with x-ratelimit-remaining 0 is the answer: the rate limit is used up, not this request', () => {
  const reset = String(HTTP_DATE_MS / 1000 + 20);
  expect(verdict(answer(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }))).toBeUndefined();
});

test('the reason names a Retry-After only when the server sent one', () => {
  expect(verdict(answer(503, { 'retry-after': '2' }))).toEqual({
    reason: 'HTTP 503, Retry-After 2 s',
    summary: 'HTTP 503',
    waitMs: 2000,
    until: HTTP_DATE_MS + 2000,
  });
  expect(verdict(answer(429))).toEqual({ reason: 'HTTP 429 Too Many Requests', summary: 'HTTP 429 Too Many Requests' });
  const secondary = verdict(answer(403, {}, { message: 'You have exceeded a secondary rate limit.' }));
  expect(secondary?.reason).toBe('HTTP 403, secondary rate limit (no Retry-After)');
  expect(secondary?.waitMs).toBe(60_000);
});

test("a Retry-After date is measured against the server's clock, not the runner's", () => {
  const response = answer(429, { date: HTTP_DATE, 'retry-after': new Date(HTTP_DATE_MS + 30_000).toUTCString() });
  expect(retryVerdict(response, HTTP_DATE_MS - 3_600_000, 60_000)?.waitMs).toBe(30_000);
});

test('an exhausted rate limit (403 or 429) waits until its reset, by the Date header', () => {
  const reset = String(HTTP_DATE_MS / 1000 + 20);
  for (const status of [403, 429])
    expect(
      retryVerdict(
        answer(status, { date: HTTP_DATE, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        HTTP_DATE_MS + 5 * 60_000,
        60_000,
      ),
    ).toEqual({
      reason: `HTTP ${status}, rate limit used up until 2026-11-25T12:00:20.000Z (x-ratelimit-remaining: 0)`,
      summary: `HTTP ${status}, rate limit used up until 2026-11-25T12:00:20.000Z (x-ratelimit-remaining: 0)`,
      waitMs: 20_000,
      until: HTTP_DATE_MS + 20_000,
    });
});

test('a 403 with requests remaining, or without a usable reset, is not a rate limit', () => {
  expect(verdict(answer(403, { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1' }))).toBeUndefined();
  expect(verdict(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }))).toBeUndefined();
  expect(verdict(answer(403, { 'x-ratelimit-remaining': '0' }))).toBeUndefined();
});

test('a secondary rate limit named only in the body waits the minute, or no longer than the cap', () => {
  const body = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' };
  expect(verdict(answer(403, {}, body))?.waitMs).toBe(60_000);
  expect(verdict(answer(403, {}, body), 10_000)?.waitMs).toBe(10_000);
  expect(verdict(answer(403, {}, 'abuse detection mechanism'))?.waitMs).toBe(60_000);
  expect(verdict(answer(403, {}, { message: 'Resource not accessible by integration' }))).toBeUndefined();
});

test('a wait over the cap is a failure that says how long, and when to run again', () => {
  const asked = verdict(answer(429, { 'retry-after': '3600' }));
  expect(asked && waitTooLong(asked, 60_000)).toEqual({
    code: 'RETRY_AFTER_TOO_LONG',
    reason: 'HTTP 429 Too Many Requests; the server asks to wait 60 min, longer than the 60 s this action waits',
    hint: 'Run the job again after 2026-11-25T13:00:00.000Z.',
  });
  expect(asked && waitTooLong(asked, 3_600_000)).toBeUndefined();
  const backoff = verdict(answer(503));
  expect(backoff && waitTooLong(backoff, 1)).toBeUndefined();
});

test.each([
  ['a Retry-After of 30 digits', { 'retry-after': '9'.repeat(30) }],
  ['a Retry-After of 400 digits', { 'retry-after': '9'.repeat(400) }],
  ['an x-ratelimit-reset far past any date', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '9'.repeat(20) }],
])('%s reads as words, never "Invalid time value"', (_what, headers) => {
  const asked = verdict(answer(429, headers));
  const failure = asked && waitTooLong(asked, 60_000);
  expect(failure?.code).toBe('RETRY_AFTER_TOO_LONG');
  expect(`${failure?.reason} ${failure?.hint}`).toMatch(
    /the server asks to wait more than 1000 days, longer than the 60 s this action waits Run the job again after a time too far ahead to show\.$/,
  );
});

test('waits read in the unit that suits them', () => {
  expect([0, 300, 999, 1000, 7000, 12_345, 119_999].map(formatDuration)).toEqual([
    '0 ms',
    '300 ms',
    '999 ms',
    '1 s',
    '7 s',
    '12.3 s',
    '120 s',
  ]);
  expect([120_000, 3_000_000, 3_600_000, 7_200_000, 30 * 3_600_000].map(formatDuration)).toEqual([
    '2 min',
    '50 min',
    '60 min',
    '2 h',
    '30 h',
  ]);
  expect([2 * 86_400_000, 12.5 * 86_400_000, 1000 * 86_400_000, Infinity].map(formatDuration)).toEqual([
    '2 days',
    '13 days',
    'more than 1000 days',
    'more than 1000 days',
  ]);
});

test('sizes read in bytes, KiB or MiB', () => {
  expect([0, 1023, 1024, 512 * 1024, 1024 * 1024, 1.5 * 1024 * 1024].map(formatBytes)).toEqual([
    '0 B',
    '1023 B',
    '1 KiB',
    '512 KiB',
    '1 MiB',
    '1.5 MiB',
  ]);
});

test('backoff has full jitter under a ceiling that doubles from the base delay, capped', () => {
  expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 60_000, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
  expect([1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => 0.5))).toEqual([500, 1000, 2000]);
  expect([1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => 0))).toEqual([0, 0, 0]);
  expect(backoffDelay(10, 1000, 60_000, () => 0.999999)).toBe(60_000);
  // A random source out of range is kept within it.
  expect(backoffDelay(1, 1000, 60_000, () => 7)).toBe(1000);
  expect(backoffDelay(1, 1000, 60_000, () => -1)).toBe(0);
});

test('backoff stays within its bounds with real randomness, and varies', () => {
  const seen = new Set<number>();
  for (let retry = 1; retry <= 3; retry++)
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(retry, 1000, 60_000, Math.random);
      seen.add(delay);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(1000 * 2 ** (retry - 1));
    }
  expect(seen.size).toBeGreaterThan(100);
});
