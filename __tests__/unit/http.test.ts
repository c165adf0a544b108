import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { gzipSync } from 'node:zlib';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  backoffDelay,
  bypassesProxy,
  chooseProxy,
  createHttpClient,
  HttpError,
  parseRetryAfter,
  type HttpClient,
  type HttpClientOptions,
  type RetryInfo,
} from '../../src/http.js';

// ----------------------------------------------------------------------------------------------------------
// Local servers

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Reply {
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: unknown;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
  /** Never answer. */
  hang?: boolean;
}

interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Answers the n-th request with replies[n] (the last reply repeats). */
async function startServer(...replies: Reply[]): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)] ?? {};
      if (reply.destroy) return void req.socket.destroy();
      if (reply.hang) return;
      const body =
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const headers: OutgoingHttpHeaders = {
        ...(typeof reply.body === 'object' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...reply.headers,
      };
      res.writeHead(reply.status ?? 200, headers).end(body);
    });
  });
  const port = await listen(server);
  const running = { url: `http://127.0.0.1:${port}`, received, close: () => closeServer(server) };
  servers.push(running);
  return running;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Harness {
  http: HttpClient;
  delays: number[];
  retries: RetryInfo[];
}

/** A client that records its waits instead of sleeping, with no proxy unless `env` says so. */
function client(options: HttpClientOptions = {}): Harness {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const http = createHttpClient({
    env: {},
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRetry: (info) => retries.push(info),
    ...options,
  });
  servers.push({ close: () => http.close() });
  return { http, delays, retries };
}

async function errorOf(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('no error');
}

const HTTP_DATE = 'Wed, 25 Nov 2026 12:00:00 GMT';
const HTTP_DATE_MS = Date.parse(HTTP_DATE);

// ----------------------------------------------------------------------------------------------------------
// Responses and request bodies

test('a JSON response is parsed, with its status, headers (any case) and Date', async () => {
  const server = await startServer({
    status: 201,
    headers: { date: HTTP_DATE, 'X-GitHub-Request-Id': 'ABC' },
    body: { token: 'x', expires_at: '2026-11-25T13:00:00Z' },
  });
  const response = await client().http.request({ method: 'get', url: `${server.url}/app` });
  expect(response).toMatchObject({ status: 201, body: { token: 'x' }, attempts: 1 });
  expect(response.headers.get('x-github-request-id')).toBe('ABC');
  expect(response.date?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
  expect(server.received[0]).toMatchObject({ method: 'GET', url: '/app' });
});

test("GitHub's application/vnd.github+json is JSON too; other types, bad JSON and empty bodies stay text", async () => {
  const server = await startServer(
    { headers: { 'content-type': 'application/vnd.github+json' }, body: '{"a":1}' },
    { headers: { 'content-type': 'text/html' }, body: '<h1>Bad gateway</h1>' },
    { headers: { 'content-type': 'application/json' }, body: '{"truncated' },
    { status: 204 },
  );
  const { http } = client();
  const bodies = [];
  for (let i = 0; i < 4; i++) bodies.push((await http.request({ method: 'GET', url: server.url })).body);
  expect(bodies).toEqual([{ a: 1 }, '<h1>Bad gateway</h1>', '{"truncated', '']);
});

test('a response without a Date header has no date', async () => {
  const server = await startServer({ headers: { date: 'not a date' } });
  expect((await client().http.request({ method: 'GET', url: server.url })).date).toBeUndefined();
});

test('a JSON body is sent as application/json, with the user agent', async () => {
  const server = await startServer({ status: 201 });
  await client().http.request({ method: 'POST', url: server.url, json: { repositories: ['a'] } });
  expect(server.received[0].headers['content-type']).toBe('application/json');
  expect(server.received[0].headers['user-agent']).toBe('app-jwt-action');
  expect(JSON.parse(server.received[0].body)).toEqual({ repositories: ['a'] });
});

test('a form body is sent as application/x-www-form-urlencoded', async () => {
  const server = await startServer({});
  await client({ userAgent: 'test-agent/1' }).http.request({
    method: 'POST',
    url: server.url,
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' },
  });
  const { headers, body } = server.received[0];
  expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(headers['user-agent']).toBe('test-agent/1');
  expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: 'a.b.c',
  });
});

test("the caller's headers win over the defaults, whatever their case", async () => {
  const server = await startServer({});
  await client().http.request({
    method: 'POST',
    url: server.url,
    json: {},
    headers: { 'User-Agent': 'mine', 'Content-Type': 'application/vnd.api+json', Authorization: 'Bearer t' },
  });
  expect(server.received[0].headers).toMatchObject({
    'user-agent': 'mine',
    'content-type': 'application/vnd.api+json',
    authorization: 'Bearer t',
  });
});

test('a header value with a line break is refused before sending, without quoting it', async () => {
  const server = await startServer({});
  const error = await errorOf(
    client().http.request({ method: 'GET', url: server.url, headers: { authorization: 'Bearer ghs_secret123\n' } }),
  );
  expect(error.code).toBe('INVALID_REQUEST');
  expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/ was not sent: the value of header 'authorization'/);
  expect(error.message).toMatch(/trailing newline/);
  expect(error.message).not.toContain('ghs_secret123');
  expect(server.received).toHaveLength(0);
});

// ----------------------------------------------------------------------------------------------------------
// Retries on status

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

test('at most 3 retries; then the last response is returned for the caller to explain', async () => {
  const server = await startServer({ status: 503, body: { message: 'unavailable' } });
  const { http, delays } = client();
  const response = await http.request({ method: 'POST', url: server.url, json: {} });
  expect(response).toMatchObject({ status: 503, body: { message: 'unavailable' }, attempts: 4 });
  expect(server.received).toHaveLength(4);
  expect(delays).toHaveLength(3);
});

test('maxRetries is configurable, down to none', async () => {
  const server = await startServer({ status: 500 });
  const { http, delays } = client({ maxRetries: 0 });
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(500);
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

test.each([400, 401, 403, 404, 409, 422])('HTTP %i is returned at once, never retried', async (status) => {
  const server = await startServer({ status, body: { message: 'Bad credentials' } });
  const { http, delays } = client();
  const response = await http.request({ method: 'GET', url: server.url });
  expect(response).toMatchObject({ status, body: { message: 'Bad credentials' }, attempts: 1 });
  expect(server.received).toHaveLength(1);
  expect(delays).toEqual([]);
});

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

test('the client backs off more on each retry', async () => {
  const server = await startServer({ status: 502 });
  const { http, delays } = client({ baseDelayMs: 200, random: () => 0.75 });
  await http.request({ method: 'GET', url: server.url });
  expect(delays).toEqual([150, 300, 600]);
});

test('the default sleep really waits', async () => {
  const server = await startServer({ status: 500 }, { status: 200 });
  const http = createHttpClient({ env: {}, baseDelayMs: 100, random: () => 1 });
  servers.push({ close: () => http.close() });
  const started = Date.now();
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
});

test('Retry-After parsing', () => {
  expect(parseRetryAfter('5', 0)).toBe(5000);
  expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  expect(parseRetryAfter(new Date(HTTP_DATE_MS + 90_000).toUTCString(), HTTP_DATE_MS)).toBe(90_000);
  expect(parseRetryAfter(new Date(HTTP_DATE_MS - 90_000).toUTCString(), HTTP_DATE_MS)).toBe(0);
  expect(parseRetryAfter('soon', 0)).toBeUndefined();
  expect(parseRetryAfter(null, 0)).toBeUndefined();
});

// ----------------------------------------------------------------------------------------------------------
// Network errors

test('a refused connection is retried, then an HttpError names the method, URL, cause and attempts', async () => {
  const port = await closedPort();
  const { http, delays, retries } = client();
  const error = await errorOf(
    http.request({
      method: 'POST',
      url: `http://127.0.0.1:${port}/app/installations/1/access_tokens`,
      headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.secret.signature' },
      json: { repositories: ['private-repo'] },
    }),
  );
  expect(error).toBeInstanceOf(HttpError);
  expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 4, method: 'POST' });
  expect(error.message).toBe(
    `POST http://127.0.0.1:${port}/app/installations/1/access_tokens failed after 4 attempts: ` +
      `connection refused (ECONNREFUSED) by 127.0.0.1:${port}. Check the URL and that the server is up and reachable from the runner.`,
  );
  expect(error.message).not.toMatch(/eyJ|secret|private-repo/);
  expect(delays).toHaveLength(3);
  expect(retries.map((r) => r.reason)).toEqual(Array(3).fill(`connection refused (ECONNREFUSED) by 127.0.0.1:${port}`));
});

test('a dropped connection is retried and can succeed', async () => {
  const server = await startServer({ destroy: true }, { status: 200, body: { ok: true } });
  const { http, retries } = client();
  expect(await http.request({ method: 'GET', url: server.url })).toMatchObject({ status: 200, attempts: 2 });
  expect(retries[0].reason).toMatch(/closed before an answer came/);
});

test('an attempt that takes longer than timeoutMs is abandoned and retried', async () => {
  const server = await startServer({ hang: true }, { status: 200 });
  const { http, retries } = client({ timeoutMs: 300 });
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(retries[0].reason).toBe('timed out after 300 ms');
});

test('a server that never answers ends in an HttpError that says so', async () => {
  const server = await startServer({ hang: true });
  const { http } = client({ timeoutMs: 1000, maxRetries: 1 });
  const error = await errorOf(http.request({ method: 'GET', url: `${server.url}/slow` }));
  expect(error.code).toBe('TIMEOUT');
  expect(error.message).toBe(`GET ${server.url}/slow failed after 2 attempts: timed out after 1 s.`);
  expect(server.received).toHaveLength(2);
});

test('the timeout covers reading the body: a body that stops coming is abandoned too', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"token":');
  });
  const port = await listen(server);
  servers.push({ close: () => closeServer(server) });
  const { http } = client({ timeoutMs: 300, maxRetries: 0 });
  const error = await errorOf(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/half` }));
  expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
  expect(error.message).toBe(`GET http://127.0.0.1:${port}/half failed after 1 attempt: timed out after 300 ms.`);
});

test('a compressed response is decompressed', async () => {
  const server = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .end(gzipSync(JSON.stringify({ token: 'zipped' }))),
  );
  const port = await listen(server);
  servers.push({ close: () => closeServer(server) });
  const response = await client().http.request({ method: 'GET', url: `http://127.0.0.1:${port}` });
  expect(response.body).toEqual({ token: 'zipped' });
});

test('a host that does not resolve is named', async () => {
  const { http } = client({ maxRetries: 0 });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://no-such-host.invalid/api/v3/app' }));
  expect(error.message).toMatch(
    /^GET https:\/\/no-such-host\.invalid\/api\/v3\/app failed after 1 attempt: the host name no-such-host\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the URL/,
  );
});

test('an untrusted TLS certificate is not retried, and the fix for a private CA is given', async () => {
  const server = createHttpsServer(
    { key: readFileSync('test/fixtures/app-key.pem'), cert: readFileSync('test/fixtures/certificate.pem') },
    (_req, res) => res.end('{}'),
  );
  const port = await listen(server);
  servers.push({ close: () => closeServer(server) });
  const { http, delays } = client();
  const error = await errorOf(http.request({ method: 'GET', url: `https://127.0.0.1:${port}/api/v3/app` }));
  expect(error).toMatchObject({ code: 'TLS', attempts: 1 });
  expect(error.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT/);
  expect(error.message).toContain('NODE_EXTRA_CA_CERTS');
  expect(delays).toEqual([]);
});

test('a URL the client cannot use is refused before sending', async () => {
  const { http } = client();
  expect((await errorOf(http.request({ method: 'GET', url: 'ftp://example.com/x' }))).code).toBe('INVALID_REQUEST');
  expect((await errorOf(http.request({ method: 'GET', url: 'not a url' }))).message).toBe(
    'GET not a url was not sent: not a valid URL.',
  );
});

test('a URL with a user name or password is refused before sending, without showing them', async () => {
  const server = await startServer({});
  const { http, retries } = client();
  const error = await errorOf(
    http.request({ method: 'GET', url: server.url.replace('//', '//user:hunter22@') + '/x' }),
  );
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0, url: `${server.url}/x` });
  expect(error.message).toBe(
    `GET ${server.url}/x was not sent: the URL holds a user name or password. Send credentials in a header, never in the URL.`,
  );
  expect(server.received).toEqual([]);
  expect(retries).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// Proxies, through a real forward proxy in its own process

interface ProxyProcess {
  url: string;
  seen: Array<{ method: string; url: string; proxyAuthorization?: string }>;
}

const PROXY_SCRIPT = fileURLToPath(new URL('../../test/proxy.ts', import.meta.url));
let proxyChild: ChildProcess | undefined;
let proxy: ProxyProcess;

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  const child = spawn(process.execPath, [PROXY_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  proxyChild = child;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const seen: ProxyProcess['seen'] = [];
  proxy = await new Promise<ProxyProcess>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`test/proxy.ts exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line);
      if ('port' in message) resolve({ url: message.url, seen });
      else seen.push(message);
    });
  });
});

afterAll(async () => {
  if (!proxyChild || proxyChild.exitCode !== null) return;
  const exited = new Promise((resolve) => proxyChild?.on('exit', resolve));
  proxyChild.kill('SIGTERM');
  await exited;
});

beforeEach(() => {
  proxy?.seen.splice(0);
});

test('HTTP_PROXY carries http requests, which the proxy log shows', async () => {
  const server = await startServer({ body: { via: 'target' } });
  const { http } = client({ env: { HTTP_PROXY: proxy.url } });
  const response = await http.request({ method: 'GET', url: `${server.url}/via-proxy?x=1` });
  expect(response.body).toEqual({ via: 'target' });
  await waitFor(() => proxy.seen.length === 1, 'the proxy log');
  expect(proxy.seen).toEqual([{ method: 'GET', url: `${server.url}/via-proxy?x=1` }]);
});

test('http_proxy, lower case, wins over HTTP_PROXY, and a URL without a scheme is taken as http', async () => {
  const server = await startServer({});
  const { http } = client({ env: { http_proxy: proxy.url.replace('http://', ''), HTTP_PROXY: 'http://127.0.0.1:9' } });
  expect((await http.request({ method: 'POST', url: server.url, json: { a: 1 } })).status).toBe(200);
  await waitFor(() => proxy.seen.length === 1, 'the proxy log');
  expect(server.received[0].body).toBe('{"a":1}');
});

test('credentials in the proxy URL are sent as Proxy-Authorization, and not to the server', async () => {
  const server = await startServer({});
  const url = proxy.url.replace('http://', 'http://ci-bot:p%40ss@');
  await client({ env: { HTTP_PROXY: url } }).http.request({ method: 'GET', url: server.url });
  await waitFor(() => proxy.seen.length === 1, 'the proxy log');
  expect(proxy.seen[0].proxyAuthorization).toBe(`Basic ${Buffer.from('ci-bot:p@ss').toString('base64')}`);
  expect(server.received[0].headers['proxy-authorization']).toBeUndefined();
});

test('credentials in the proxy URL go with the CONNECT of an https request', async () => {
  const url = proxy.url.replace('http://', 'http://ci-bot:p%40ss@');
  const port = await closedPort();
  const { http } = client({ env: { HTTPS_PROXY: url }, maxRetries: 0 });
  // Nothing listens there: the proxy answers the CONNECT with 502, which is all this test needs.
  expect((await errorOf(http.request({ method: 'GET', url: `https://127.0.0.1:${port}/app` }))).code).toBe('PROXY');
  await waitFor(() => proxy.seen.length === 1, 'the proxy log');
  expect(proxy.seen).toEqual([
    {
      method: 'CONNECT',
      url: `127.0.0.1:${port}`,
      proxyAuthorization: `Basic ${Buffer.from('ci-bot:p@ss').toString('base64')}`,
    },
  ]);
});

test('NO_PROXY sends matching hosts directly', async () => {
  const server = await startServer({});
  const port = new URL(server.url).port;
  const { http } = client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com, 127.0.0.1' } });
  const { http: viaProxy } = client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${Number(port) + 1}` } });
  await http.request({ method: 'GET', url: `${server.url}/direct` });
  // A proxied request after the direct one: once the proxy logs it, it would have logged the first too.
  await viaProxy.request({ method: 'GET', url: `${server.url}/proxied` });
  await waitFor(() => proxy.seen.length >= 1, 'the proxy log');
  expect(proxy.seen.map((s) => s.url)).toEqual([`${server.url}/proxied`]);
  expect(server.received.map((r) => r.url)).toEqual(['/direct', '/proxied']);
});

test('HTTPS_PROXY carries https requests through a CONNECT tunnel', async () => {
  const server = createHttpsServer(
    { key: readFileSync('test/fixtures/app-key.pem'), cert: readFileSync('test/fixtures/certificate.pem') },
    (_req, res) => res.end('{}'),
  );
  const port = await listen(server);
  servers.push({ close: () => closeServer(server) });
  const { http } = client({ env: { HTTPS_PROXY: proxy.url } });
  // The test certificate is self-signed, so TLS fails inside the tunnel; the tunnel is what this test is about.
  const error = await errorOf(http.request({ method: 'GET', url: `https://127.0.0.1:${port}/api/v3/app` }));
  expect(error.code).toBe('TLS');
  expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `127.0.0.1:${port}` }]);
});

test('HTTPS_PROXY is not used for http URLs, nor HTTP_PROXY for https ones', async () => {
  const server = await startServer({});
  await client({ env: { HTTPS_PROXY: 'http://127.0.0.1:9' } }).http.request({ method: 'GET', url: server.url });
  expect(server.received).toHaveLength(1);
  expect(chooseProxy(new URL('https://api.github.com'), { HTTP_PROXY: proxy.url })).toBeUndefined();
});

test('the injected env is the only one read: process.env proxies are ignored', async () => {
  const server = await startServer({});
  const saved = process.env.HTTP_PROXY;
  process.env.HTTP_PROXY = 'http://127.0.0.1:9';
  try {
    expect((await client({ env: {} }).http.request({ method: 'GET', url: server.url })).status).toBe(200);
  } finally {
    if (saved === undefined) delete process.env.HTTP_PROXY;
    else process.env.HTTP_PROXY = saved;
  }
});

test('a proxy that refuses connections is named, with HTTPS_PROXY and NO_PROXY as the fixes', async () => {
  const port = await closedPort();
  const { http } = client({ env: { HTTPS_PROXY: `http://user:pw1234@127.0.0.1:${port}` }, maxRetries: 1 });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://api.github.com/app' }));
  expect(error.message).toBe(
    `GET https://api.github.com/app failed after 2 attempts: connection refused (ECONNREFUSED) by the proxy http://127.0.0.1:${port}. ` +
      'If api.github.com should be reached directly, add it to NO_PROXY; otherwise check HTTPS_PROXY.',
  );
});

test('a proxy variable that is not a URL is named without quoting it', async () => {
  const { http } = client({ env: { https_proxy: 'http://user:se cret@' } });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://api.github.com/app' }));
  expect(error.code).toBe('PROXY');
  expect(error.message).toMatch(
    /^GET https:\/\/api\.github\.com\/app was not sent: https_proxy is set but is not a proxy URL/,
  );
  expect(error.message).not.toContain('se cret');
});

test('a proxy that wants credentials fails at once and says where they go', async () => {
  const auth = createServer((_req, res) => res.writeHead(407).end());
  auth.on('connect', (_req, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
  const port = await listen(auth);
  servers.push({ close: () => closeServer(auth) });
  const env = { HTTPS_PROXY: `http://127.0.0.1:${port}`, HTTP_PROXY: `http://127.0.0.1:${port}` };
  for (const url of ['https://api.github.com/app', 'http://api.example.test/app']) {
    const { http, delays } = client({ env });
    const error = await errorOf(http.request({ method: 'GET', url }));
    expect(error).toMatchObject({ code: 'PROXY', attempts: 1 });
    expect(error.message).toContain(`the proxy http://127.0.0.1:${port} asks for credentials (HTTP 407`);
    expect(error.message).toMatch(/Put them in HTTPS?_PROXY: http:\/\/user:password@host:port/);
    expect(delays).toEqual([]);
  }
});

// A minimal SOCKS5 proxy (RFC 1928, with RFC 1929 user name and password when `credentials` is given).
interface SocksProxy {
  url: string;
  seen: Array<{ host: string; port: number; user?: string }>;
}

async function startSocksProxy(credentials?: { user: string; password: string }): Promise<SocksProxy> {
  const seen: SocksProxy['seen'] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createTcpServer((client) => {
    track(client);
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    let user: string | undefined;
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + buffer[1]) return;
        const methods = [...buffer.subarray(2, 2 + buffer[1])];
        buffer = buffer.subarray(2 + buffer[1]);
        const method = credentials ? 2 : 0;
        if (!methods.includes(method)) return void client.end(Buffer.from([5, 0xff]));
        client.write(Buffer.from([5, method]));
        stage = credentials ? 'auth' : 'request';
      }
      if (stage === 'auth') {
        const userLength = buffer[1] ?? 0;
        const passwordLength = buffer[2 + userLength] ?? 0;
        if (buffer.length < 3 + userLength || buffer.length < 3 + userLength + passwordLength) return;
        user = buffer.subarray(2, 2 + userLength).toString();
        const password = buffer.subarray(3 + userLength, 3 + userLength + passwordLength).toString();
        buffer = buffer.subarray(3 + userLength + passwordLength);
        if (user !== credentials?.user || password !== credentials.password)
          return void client.end(Buffer.from([1, 1]));
        client.write(Buffer.from([1, 0]));
        stage = 'request';
      }
      if (buffer.length < 5) return;
      const type = buffer[3];
      const addressLength = type === 1 ? 4 : type === 4 ? 16 : 1 + buffer[4];
      if (buffer.length < 6 + addressLength) return;
      const host =
        type === 1
          ? [...buffer.subarray(4, 8)].join('.')
          : type === 3
            ? buffer.subarray(5, 5 + buffer[4]).toString()
            : (buffer.subarray(4, 20).toString('hex').match(/.{4}/g) ?? []).join(':');
      const port = buffer.readUInt16BE(4 + addressLength);
      seen.push({ host, port, ...(user ? { user } : {}) });
      client.off('data', onData);
      client.pause();
      const upstream = connect(port, host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        upstream.pipe(client);
        client.pipe(upstream);
      });
      track(upstream);
      upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return { url: `socks5://127.0.0.1:${port}`, seen };
}

test('a socks5:// proxy carries http requests', async () => {
  const server = await startServer({ body: { via: 'socks' } });
  const socks = await startSocksProxy();
  const { http } = client({ env: { HTTP_PROXY: socks.url } });
  const response = await http.request({ method: 'POST', url: `${server.url}/via-socks?x=1`, json: { a: 1 } });
  expect(response).toMatchObject({ status: 200, body: { via: 'socks' }, attempts: 1 });
  expect(socks.seen).toEqual([{ host: '127.0.0.1', port: Number(new URL(server.url).port) }]);
  expect(server.received[0]).toMatchObject({ method: 'POST', url: '/via-socks?x=1', body: '{"a":1}' });
});

test('credentials in a socks5:// proxy URL are sent to the proxy, and not to the server', async () => {
  const server = await startServer({});
  const socks = await startSocksProxy({ user: 'ci-bot', password: 'p@ss' });
  const url = socks.url.replace('//', '//ci-bot:p%40ss@');
  expect((await client({ env: { HTTP_PROXY: url } }).http.request({ method: 'GET', url: server.url })).status).toBe(
    200,
  );
  expect(socks.seen).toEqual([{ host: '127.0.0.1', port: Number(new URL(server.url).port), user: 'ci-bot' }]);
  expect(server.received[0].headers['proxy-authorization']).toBeUndefined();
  expect(server.received[0].headers.authorization).toBeUndefined();
});

test('a socks5:// proxy carries https requests, TLS inside', async () => {
  const server = createHttpsServer(
    { key: readFileSync('test/fixtures/app-key.pem'), cert: readFileSync('test/fixtures/certificate.pem') },
    (_req, res) => res.end('{}'),
  );
  const port = await listen(server);
  servers.push({ close: () => closeServer(server) });
  const socks = await startSocksProxy();
  const { http } = client({ env: { HTTPS_PROXY: socks.url } });
  // The test certificate is self-signed: TLS fails inside the tunnel, which shows the TLS goes through it.
  const error = await errorOf(http.request({ method: 'GET', url: `https://127.0.0.1:${port}/api/v3/app` }));
  expect(error).toMatchObject({ code: 'TLS', attempts: 1 });
  expect(socks.seen).toEqual([{ host: '127.0.0.1', port }]);
});

test('a socks5:// proxy that wants credentials fails at once', async () => {
  const server = await startServer({});
  const socks = await startSocksProxy({ user: 'ci-bot', password: 'right' });
  for (const proxyUrl of [socks.url, socks.url.replace('//', '//ci-bot:wrong1@')]) {
    const { http, delays } = client({ env: { HTTP_PROXY: proxyUrl } });
    const error = await errorOf(http.request({ method: 'GET', url: server.url }));
    expect(error).toMatchObject({ code: 'PROXY', attempts: 1 });
    expect(delays).toEqual([]);
    expect(error.message).not.toContain('wrong1');
  }
  expect(server.received).toEqual([]);
});

test('a proxy that refuses the tunnel is named, and a refusal is not retried', async () => {
  const refusing = createServer((_req, res) => res.writeHead(403).end());
  refusing.on('connect', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
  const port = await listen(refusing);
  servers.push({ close: () => closeServer(refusing) });
  const { http, delays } = client({ env: { HTTPS_PROXY: `http://127.0.0.1:${port}` } });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://api.github.com/app' }));
  expect(error).toMatchObject({ code: 'PROXY', attempts: 1 });
  expect(error.message).toBe(
    `GET https://api.github.com/app failed after 1 attempt: the proxy http://127.0.0.1:${port} refused to connect to api.github.com (HTTP 403). ` +
      'If api.github.com should be reached directly, add it to NO_PROXY; otherwise check HTTPS_PROXY.',
  );
  expect(delays).toEqual([]);
});

test('a proxy that never answers CONNECT times out like any attempt', async () => {
  const silent = createTcpServer(() => {});
  const sockets = new Set<Socket>();
  silent.on('connection', (socket) => {
    sockets.add(socket);
    socket.resume(); // Reads the CONNECT, to see the end of the connection; never answers.
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        silent.close(() => resolve());
      }),
  });
  const { http } = client({ env: { HTTPS_PROXY: `http://127.0.0.1:${port}` }, timeoutMs: 300, maxRetries: 0 });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://api.github.com/app' }));
  expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
  expect(error.message).toBe(
    `GET https://api.github.com/app failed after 1 attempt: timed out after 300 ms (through the proxy http://127.0.0.1:${port}).`,
  );
  // The half-open tunnel is not left behind.
  await waitFor(() => sockets.size === 1 && [...sockets].every((socket) => socket.destroyed), 'the tunnel to close');
});

test.each([
  ['api.github.com', 'https://api.github.com/app', true],
  ['github.com', 'https://api.github.com/app', true],
  ['.github.com', 'https://api.github.com/app', true],
  ['*.github.com', 'https://api.github.com/app', true],
  ['github.com', 'https://notgithub.com/app', false],
  ['API.GitHub.com', 'https://api.github.com/app', true],
  ['api.github.com:443', 'https://api.github.com/app', true],
  ['api.github.com:8443', 'https://api.github.com/app', false],
  ['*', 'https://api.github.com/app', true],
  ['ghe.example.com localhost', 'http://localhost:3000/x', true],
  ['10.0.0.0/8', 'https://10.1.2.3/api/v3', true],
  ['10.0.0.0/8', 'https://11.1.2.3/api/v3', false],
  ['::1', 'http://[::1]:8080/x', true],
  ['[::1]:8080', 'http://[::1]:8080/x', true],
  ['', 'https://api.github.com/app', false],
])('NO_PROXY %j for %s: bypass %s', (noProxy, url, expected) => {
  expect(bypassesProxy(new URL(url), noProxy)).toBe(expected);
});

test('chooseProxy says which variable the proxy came from', () => {
  expect(chooseProxy(new URL('https://api.github.com'), { https_proxy: 'proxy:3128' })).toEqual({
    variable: 'https_proxy',
    url: new URL('http://proxy:3128'),
  });
  expect(chooseProxy(new URL('https://api.github.com'), { HTTPS_PROXY: 'http://p:1', no_proxy: 'github.com' })).toBe(
    undefined,
  );
  expect(chooseProxy(new URL('https://api.github.com'), { HTTPS_PROXY: ' ' })).toBeUndefined();
});

// ----------------------------------------------------------------------------------------------------------
// API URLs
