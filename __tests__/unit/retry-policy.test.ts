import { backoffDelay, parseRetryAfter } from '../../src/retry-policy.js';
import { closeAll, client, errorOf, HTTP_DATE, HTTP_DATE_MS, startServer } from './http-test-servers.js';

afterEach(closeAll);

// ----------------------------------------------------------------------------------------------------------
// Which answers are retried

test.each([500, 502, 503, 504])('HTTP %i is retried, then the success is returned', async (status) => {
  const server = await startServer({ status, body: { message: 'oops' } }, { status: 200, body: { ok: true } });
  const { http, delays, retries } = client();
  const response = await http.request({ method: 'GET', url: server.url });
  expect(response).toMatchObject({ status: 200, body: { ok: true }, attempts: 2 });
  expect(server.received).toHaveLength(2);
  expect(delays).toEqual([500]);
  expect(retries[0]).toMatchObject({ method: 'GET', url: `${server.url}/`, attempt: 1, maxRetries: 3, delayMs: 500 });
  expect(retries[0].reason).toMatch(new RegExp(`^HTTP ${status}`));
});

test.each([400, 401, 403, 404, 409, 422])('HTTP %i is returned at once, never retried', async (status) => {
  const server = await startServer({ status, body: { message: 'Bad credentials' } });
  const { http, delays } = client();
  const response = await http.request({ method: 'GET', url: server.url });
  expect(response).toMatchObject({ status, body: { message: 'Bad credentials' }, attempts: 1 });
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// Waits the server asks for

test('429 waits the Retry-After seconds, exactly', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '7' } }, { status: 200 });
  const { http, delays, retries } = client();
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(delays).toEqual([7000]);
  expect(retries[0].reason).toBe('HTTP 429 Too Many Requests, Retry-After 7 s');
});

test("429 with a Retry-After date waits until then by the server's clock", async () => {
  const retryAt = new Date(HTTP_DATE_MS + 30_000).toUTCString();
  const server = await startServer(
    { status: 429, headers: { date: HTTP_DATE, 'retry-after': retryAt } },
    { status: 200 },
  );
  // The local clock is an hour off; the wait still comes from the server's own Date.
  const { http, delays } = client({ now: () => HTTP_DATE_MS - 3_600_000 });
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(delays).toEqual([30_000]);
});

test('429 without Retry-After backs off', async () => {
  const server = await startServer({ status: 429 }, { status: 200 });
  const { http, delays } = client();
  await http.request({ method: 'GET', url: server.url });
  expect(delays).toEqual([500]);
});

test('503 with Retry-After waits as asked', async () => {
  const server = await startServer({ status: 503, headers: { 'retry-after': '2' } }, { status: 200 });
  const { http, delays } = client();
  await http.request({ method: 'GET', url: server.url });
  expect(delays).toEqual([2000]);
});

test('Retry-After is read as seconds or as an HTTP date; a date past means no wait, and nonsense is ignored', () => {
  expect(parseRetryAfter('5', 0)).toBe(5000);
  expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  expect(parseRetryAfter(new Date(HTTP_DATE_MS + 90_000).toUTCString(), HTTP_DATE_MS)).toBe(90_000);
  expect(parseRetryAfter(new Date(HTTP_DATE_MS - 90_000).toUTCString(), HTTP_DATE_MS)).toBe(0);
  expect(parseRetryAfter('soon', 0)).toBeUndefined();
  expect(parseRetryAfter(null, 0)).toBeUndefined();
});

// ----------------------------------------------------------------------------------------------------------
// GitHub's rate limits

test("GitHub's secondary rate limit, a 403 with Retry-After, is retried after the wait", async () => {
  const server = await startServer(
    { status: 403, headers: { 'retry-after': '12' }, body: { message: 'You have exceeded a secondary rate limit.' } },
    { status: 201, body: { token: 't' } },
  );
  const { http, delays, retries } = client();
  expect((await http.request({ method: 'POST', url: server.url })).status).toBe(201);
  expect(delays).toEqual([12_000]);
  expect(retries[0].reason).toMatch(/secondary rate limit/);
});

test('a secondary rate limit named only in the body waits the minute GitHub asks for', async () => {
  const server = await startServer(
    { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' } },
    { status: 200 },
  );
  const { http, delays } = client();
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(delays).toEqual([60_000]);
});

test('a secondary rate limit named only in the body waits no longer than maxRetryAfterMs, and is still retried', async () => {
  const server = await startServer(
    { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' } },
    { status: 200 },
  );
  const { http, delays } = client({ maxRetryAfterMs: 10_000 });
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(delays).toEqual([10_000]);
});

test('a 403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset, by the Date header', async () => {
  const reset = String(HTTP_DATE_MS / 1000 + 20);
  const server = await startServer(
    {
      status: 403,
      headers: { date: HTTP_DATE, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    },
    { status: 200 },
  );
  const { http, delays, retries } = client({ now: () => HTTP_DATE_MS + 5 * 60_000 });
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(delays).toEqual([20_000]);
  expect(retries[0].reason).toContain('rate limit used up until 2026-11-25T12:00:20.000Z');
});

test('a 403 with remaining requests is not a rate limit', async () => {
  const server = await startServer({
    status: 403,
    headers: { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1' },
    body: { message: 'Resource not accessible by integration' },
  });
  const { http, delays } = client();
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(403);
  expect(delays).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// Waits too long to sit through

test('a Retry-After longer than the cap gives up at once with a clear error and the response', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '3600', date: HTTP_DATE } });
  const { http, delays } = client({ now: () => HTTP_DATE_MS });
  const error = await errorOf(http.request({ method: 'GET', url: `${server.url}/app/installations` }));
  expect(error.code).toBe('RETRY_AFTER_TOO_LONG');
  expect(error.response?.status).toBe(429);
  expect(error.message).toBe(
    `GET ${server.url}/app/installations failed after 1 attempt: HTTP 429 Too Many Requests; ` +
      'the server asks to wait 60 min, longer than the 60 s this action waits. Run the job again after 2026-11-25T13:00:00.000Z.',
  );
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

test('a rate limit that resets in an hour gives up with the reset time', async () => {
  const server = await startServer({
    status: 403,
    headers: { date: HTTP_DATE, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(HTTP_DATE_MS / 1000 + 3000) },
  });
  const error = await errorOf(client().http.request({ method: 'GET', url: server.url }));
  expect(error.message).toMatch(
    /rate limit used up until 2026-11-25T12:50:00.000Z .*wait 50 min.*Run the job again after 2026-11-25T12:50:00.000Z\./,
  );
});

test('maxRetryAfterMs sets the cap', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '120' } }, { status: 200 });
  const { http, delays } = client({ maxRetryAfterMs: 300_000 });
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(delays).toEqual([120_000]);
});

// ----------------------------------------------------------------------------------------------------------
// Backoff

test('backoff has full jitter under a ceiling that doubles from baseDelayMs', () => {
  expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 60_000, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
  expect([1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => 0.5))).toEqual([500, 1000, 2000]);
  expect([1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => 0))).toEqual([0, 0, 0]);
  expect(backoffDelay(10, 1000, 60_000, () => 0.999999)).toBe(60_000);
});

test('backoff stays within its bounds with real randomness', () => {
  for (let retry = 1; retry <= 3; retry++)
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(retry, 1000, 60_000, Math.random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(1000 * 2 ** (retry - 1));
    }
});
