// The retry loop over real answers from local servers: how many attempts, which waits (recorded by an injected
// sleep, with random fixed at 0.5), what the log is told, and the step's deadline every request, retry and wait
// shares.
import { RequestProblem } from '../../src/http/failure.js';
import { DEFAULT_RETRY } from '../../src/http/retry.js';
import { createTransport } from '../../src/http/transport.js';
import {
  closeAll,
  errorOf,
  fetchWithRetries,
  harness,
  HTTP_DATE,
  HTTP_DATE_MS,
  serve,
  startServer,
} from './servers.js';

afterEach(closeAll);

const get = (url: string) => ({ service: 'Test', method: 'GET', url });
const SECONDARY = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' };

// ----------------------------------------------------------------------------------------------------------
// How many attempts

test('at most 3 retries; then the last response is returned for the caller to explain', async () => {
  const server = await startServer({ status: 503, body: { message: 'unavailable' } });
  const { transport, delays } = harness();
  const response = await transport.request({ ...get(server.url), method: 'POST' });
  expect(response).toMatchObject({ status: 503, body: { message: 'unavailable' } });
  expect(server.received).toHaveLength(4);
  expect(delays).toHaveLength(3);
});

test('maxRetries is configurable, down to none', async () => {
  const server = await startServer({ status: 500 });
  const { transport, delays } = harness({ retry: { maxRetries: 0 } });
  expect((await transport.request(get(server.url))).status).toBe(500);
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

test.each([500, 502, 503, 504])('HTTP %i is retried, then the success is returned', async (status) => {
  const server = await startServer({ status, body: { message: 'oops' } }, { status: 200, body: { ok: true } });
  const { transport, delays, retries } = harness();
  const response = await transport.request(get(`${server.url}/x?secret=1`));
  expect(response).toMatchObject({ status: 200, body: { ok: true } });
  expect(server.received).toHaveLength(2);
  expect(delays).toEqual([500]);
  expect(retries).toEqual([
    {
      service: 'Test',
      method: 'GET',
      url: `${server.url}/x`,
      attempt: 1,
      maxRetries: 3,
      delayMs: 500,
      reason: `HTTP ${status}`,
    },
  ]);
});

test.each([400, 401, 403, 404, 409, 422])('HTTP %i is returned at once, never retried', async (status) => {
  const server = await startServer({ status, body: { message: 'Bad credentials' } });
  const { transport, delays } = harness();
  const response = await transport.request(get(server.url));
  expect(response).toMatchObject({ status, body: { message: 'Bad credentials' } });
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

test.each([400, 404, 409, 422])('HTTP %i with a Retry-After is still the answer, not retried', async (status) => {
  const server = await startServer({ status, headers: { 'retry-after': '1' } });
  const { transport, delays } = harness();
  expect((await transport.request(get(server.url))).status).toBe(status);
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

test('a 200 with x-ratelimit-remaining 0 is the answer, not retried', async () => {
  const reset = String(Math.floor(Date.now() / 1000) + 20);
  const server = await startServer({
    status: 200,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    body: { token: 't' },
  });
  const { transport, delays } = harness();
  expect((await fetchWithRetries(transport, server.url)).body).toEqual({ token: 't' });
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// Backoff

test('the transport backs off more on each retry, with jitter', async () => {
  const server = await startServer({ status: 502 });
  const { transport, delays } = harness({ retry: { baseDelayMs: 200, random: () => 0.75 } });
  await transport.request(get(server.url));
  expect(delays).toEqual([150, 300, 600]);
});

test('two jobs that fail together do not retry together', async () => {
  const server = await startServer({ status: 503 }, { status: 200 }, { status: 503 }, { status: 200 });
  const first = harness({ retry: { random: () => 0.1 } });
  const second = harness({ retry: { random: () => 0.9 } });
  await first.transport.request(get(server.url));
  await second.transport.request(get(server.url));
  expect([first.delays, second.delays]).toEqual([[100], [900]]);
});

test('the default sleep really waits, and ends early when its signal aborts', async () => {
  let started = Date.now();
  await DEFAULT_RETRY.sleep(100, new AbortController().signal);
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('deadline')), 20);
  started = Date.now();
  await expect(DEFAULT_RETRY.sleep(5000, controller.signal)).rejects.toThrow('deadline');
  expect(Date.now() - started).toBeLessThan(1000);
});

// ----------------------------------------------------------------------------------------------------------
// Waits the server asks for

test('429 waits the Retry-After seconds, exactly, and says so', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '7' } }, { status: 200 });
  const { transport, delays, retries } = harness();
  expect((await transport.request(get(server.url))).status).toBe(200);
  expect(delays).toEqual([7000]);
  expect(retries[0].reason).toBe('HTTP 429 Too Many Requests, Retry-After 7 s');
});

test("429 with a Retry-After date waits until then by the server's clock", async () => {
  const retryAt = new Date(HTTP_DATE_MS + 30_000).toUTCString();
  const server = await startServer({ status: 429, headers: { date: HTTP_DATE, 'retry-after': retryAt } }, {});
  // The runner's clock is an hour off; the wait still comes from the server's own Date.
  const { transport, delays } = harness({ retry: { now: () => HTTP_DATE_MS - 3_600_000 } });
  expect((await transport.request(get(server.url))).status).toBe(200);
  expect(delays).toEqual([30_000]);
});

test('429 without Retry-After backs off, and the log claims no Retry-After', async () => {
  const server = await startServer({ status: 429 }, { status: 200 });
  const { transport, delays, retries } = harness();
  await transport.request(get(server.url));
  expect(delays).toEqual([500]);
  expect(retries[0].reason).toBe('HTTP 429 Too Many Requests');
});

test('503 with Retry-After waits as asked; without, the log claims none', async () => {
  const server = await startServer({ status: 503, headers: { 'retry-after': '2' } }, { status: 503 }, {});
  const { transport, delays, retries } = harness();
  await transport.request(get(server.url));
  expect(delays).toEqual([2000, 1000]);
  expect(retries.map((r) => r.reason)).toEqual(['HTTP 503, Retry-After 2 s', 'HTTP 503']);
});

test('maxRetryAfterMs sets the cap on waits the server asks for', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '120' } }, { status: 200 });
  const { transport, delays } = harness({ retry: { maxRetryAfterMs: 300_000 }, limits: { deadlineMs: 600_000 } });
  expect((await transport.request(get(server.url))).status).toBe(200);
  expect(delays).toEqual([120_000]);
});

// ----------------------------------------------------------------------------------------------------------
// GitHub's rate limits (through the octokit path)

test("GitHub's secondary rate limit, a 403 with Retry-After, is retried after the wait", async () => {
  const server = await startServer(
    { status: 403, headers: { 'retry-after': '12' }, body: SECONDARY },
    { status: 201, body: { token: 't' } },
  );
  const { transport, delays, retries } = harness();
  expect((await fetchWithRetries(transport, server.url)).status).toBe(201);
  expect(delays).toEqual([12_000]);
  expect(retries[0].reason).toBe('HTTP 403, secondary rate limit, Retry-After 12 s');
});

test('a secondary rate limit named only in the body waits the minute GitHub asks for, and says so', async () => {
  const server = await startServer({ status: 403, body: SECONDARY }, { status: 200 });
  const { transport, delays, retries } = harness();
  expect((await fetchWithRetries(transport, server.url)).status).toBe(200);
  expect(delays).toEqual([60_000]);
  expect(retries[0].reason).toBe('HTTP 403, secondary rate limit (no Retry-After)');
});

test('a secondary rate limit named only in the body waits no longer than maxRetryAfterMs, and is still retried', async () => {
  const server = await startServer({ status: 403, body: SECONDARY }, { status: 200 });
  const { transport, delays } = harness({ retry: { maxRetryAfterMs: 10_000 } });
  expect((await fetchWithRetries(transport, server.url)).status).toBe(200);
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
  const { transport, delays, retries } = harness({ retry: { now: () => HTTP_DATE_MS + 5 * 60_000 } });
  expect((await fetchWithRetries(transport, server.url)).status).toBe(200);
  expect(server.received).toHaveLength(2);
  expect(delays).toEqual([20_000]);
  expect(retries[0].reason).toBe(
    'HTTP 403, rate limit used up until 2026-11-25T12:00:20.000Z (x-ratelimit-remaining: 0)',
  );
});

test('a 403 with remaining requests is not a rate limit', async () => {
  const server = await startServer({
    status: 403,
    headers: { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1' },
    body: { message: 'Resource not accessible by integration' },
  });
  const { transport, delays } = harness();
  expect((await fetchWithRetries(transport, server.url)).status).toBe(403);
  expect(delays).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// Waits too long to sit through

test('a Retry-After longer than the cap gives up at once with a clear error', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '3600', date: HTTP_DATE } });
  const { transport, delays } = harness({ retry: { now: () => HTTP_DATE_MS } });
  const error = await errorOf(transport.request(get(`${server.url}/restapi/oauth/token`)));
  expect(error).toMatchObject({ code: 'RETRY_AFTER_TOO_LONG', attempts: 1 });
  expect(error.message).toBe(
    `GET ${server.url}/restapi/oauth/token failed after 1 attempt: HTTP 429 Too Many Requests; ` +
      'the server asks to wait 60 min, longer than the 60 s this action waits. Run the job again after 2026-11-25T13:00:00.000Z.',
  );
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

test('a rate limit that resets in 50 minutes gives up with the reset time', async () => {
  const server = await startServer({
    status: 403,
    headers: { date: HTTP_DATE, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(HTTP_DATE_MS / 1000 + 3000) },
  });
  const error = await errorOf(fetchWithRetries(harness().transport, server.url));
  expect(error.code).toBe('RETRY_AFTER_TOO_LONG');
  expect(error.message).toBe(
    `GET ${server.url} failed after 1 attempt: HTTP 403, rate limit used up until 2026-11-25T12:50:00.000Z ` +
      '(x-ratelimit-remaining: 0); the server asks to wait 50 min, longer than the 60 s this action waits. ' +
      'Run the job again after 2026-11-25T12:50:00.000Z.',
  );
});

test.each([
  ['Retry-After', { 'retry-after': '9'.repeat(30) }],
  ['x-ratelimit-reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '9'.repeat(20) }],
])('a huge %s gives RETRY_AFTER_TOO_LONG in words, never "Invalid time value"', async (_name, headers) => {
  const server = await startServer({ status: 429, headers });
  const { transport, delays } = harness();
  const error = await errorOf(transport.request(get(server.url)));
  expect(error.code).toBe('RETRY_AFTER_TOO_LONG');
  expect(error.message).toMatch(
    /; the server asks to wait more than 1000 days, longer than the 60 s this action waits\. Run the job again after a time too far ahead to show\.$/,
  );
  expect(error.message).not.toMatch(/Invalid|NaN|Infinity|e\+/);
  expect(delays).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// The step's deadline: one for every request, retry and wait

test('an answer that does not come before the deadline fails the step with DEADLINE, not retried', async () => {
  const server = await startServer({ hang: true });
  const { transport, retries } = harness({ limits: { deadlineMs: 300, requestTimeoutMs: 5000 } });
  const started = Date.now();
  const error = await errorOf(transport.request(get(`${server.url}/token`)));
  expect(Date.now() - started).toBeLessThan(1000);
  expect(error).toMatchObject({ code: 'DEADLINE', attempts: 1 });
  expect(error.message).toBe(
    `GET ${server.url}/token failed after 1 attempt: no complete answer came before the step's deadline ` +
      '(300 ms for all requests, retries and waits) passed. The server or the network is too slow; run the job again later.',
  );
  expect(retries).toEqual([]);
});

test('the deadline is shared: a later request gets only what the earlier ones left', async () => {
  let count = 0;
  const server = await serve((_req, res) => {
    if (count++ === 0) setTimeout(() => res.end('first'), 250);
    // The second never answers.
  });
  const { transport } = harness({ limits: { deadlineMs: 400, requestTimeoutMs: 5000 } });
  const started = Date.now();
  expect((await transport.request(get(server.url))).body).toBe('first');
  const error = await errorOf(fetchWithRetries(transport, server.url));
  expect(error.code).toBe('DEADLINE');
  const elapsed = Date.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(390);
  expect(elapsed).toBeLessThan(1000);
});

test('a Retry-After longer than what is left of the deadline fails at once, without sleeping', async () => {
  const server = await startServer({ status: 429, headers: { 'retry-after': '2' } });
  const { transport, delays, retries } = harness({ limits: { deadlineMs: 1000 } });
  const started = Date.now();
  const error = await errorOf(transport.request(get(server.url)));
  expect(Date.now() - started).toBeLessThan(500);
  expect(error).toMatchObject({ code: 'DEADLINE', attempts: 1 });
  expect(error.message).toBe(
    `GET ${server.url}/ failed after 1 attempt: HTTP 429 Too Many Requests, Retry-After 2 s; waiting 2 s to try ` +
      "again would pass the step's deadline (1 s for all requests, retries and waits). Run the job again later.",
  );
  expect([delays, retries]).toEqual([[], []]);
});

test('a backoff longer than what is left of the deadline fails at once too', async () => {
  const server = await startServer({ status: 502 });
  const { transport, delays } = harness({ limits: { deadlineMs: 1000 }, retry: { random: () => 1 } });
  const error = await errorOf(transport.request(get(server.url)));
  expect(error.code).toBe('DEADLINE');
  expect(error.message).toContain("HTTP 502; waiting 1 s to try again would pass the step's deadline (1 s");
  expect(delays).toEqual([]);
});

test('a deadline that passes during a wait ends the wait and the step', async () => {
  const server = await startServer({ status: 503 });
  // A runner clock that stands still (a suspended machine, say): each wait looks short enough, and the
  // deadline's own timer is what ends it.
  const standing = Date.now();
  const transport = createTransport({
    limits: { deadlineMs: 400 },
    retry: { baseDelayMs: 250, maxRetryAfterMs: 250, random: () => 1, now: () => standing },
  });
  const started = Date.now();
  const error = await errorOf(transport.request(get(server.url)));
  const elapsed = Date.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(390);
  expect(elapsed).toBeLessThan(1000);
  expect(error).toMatchObject({ code: 'DEADLINE', attempts: 2 });
  expect(error.message).toBe(
    `GET ${server.url}/ failed after 2 attempts: HTTP 503; the step's deadline (400 ms for all requests, retries ` +
      'and waits) passed during the wait.',
  );
  expect(server.received).toHaveLength(2);
});

// ----------------------------------------------------------------------------------------------------------
// What leaves the loop

test('secrets the request carries are taken out of failure text and of the retry log', async () => {
  const { transport, retries } = harness({ retry: { maxRetries: 1 } });
  const label = {
    service: 'GitHub',
    method: 'GET',
    url: 'https://api.github.com/app',
    secrets: ['Bearer ghs_abcdef123456'],
  };
  const problem = new RequestProblem({
    code: 'NETWORK',
    reason: 'a library said: header authorization: Bearer ghs_abcdef123456 was odd',
    hint: 'ghs_abcdef123456 again',
    retryable: true,
  });
  const error = await errorOf(transport.retrying(label, () => Promise.reject(problem)));
  expect(error.message).toBe(
    'GET https://api.github.com/app failed after 2 attempts: a library said: header authorization: *** was odd. *** again',
  );
  expect(retries[0].reason).toBe('a library said: header authorization: *** was odd');
});

test('an error that is not a RequestProblem (a bug) leaves the loop as it is, unretried', async () => {
  const { transport, retries } = harness();
  const bug = new TypeError('x is not a function');
  const label = { service: 'Test', method: 'GET', url: 'http://127.0.0.1/', secrets: [] };
  await expect(transport.retrying(label, () => Promise.reject(bug))).rejects.toBe(bug);
  expect(retries).toEqual([]);
});
