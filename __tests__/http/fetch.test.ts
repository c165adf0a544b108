// The fetch octokit sends GitHub requests with (transport.fetch): one attempt per call, the answer handed on
// whole and decoded, under the body cap and the attempt's timeout; every failure a RequestProblem for the
// retry loop, which fetchWithRetries runs as octokit's hook does.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import {
  closeAll,
  errorOf,
  failureOf,
  fetchWithRetries,
  harness,
  MiB,
  serve,
  startServer,
  startTcpServer,
  streamEndlessly,
  waitFor,
  type Stream,
} from './servers.js';

afterEach(closeAll);

function fetchOnce(url: string, init?: RequestInit, limits = {}): Promise<Response> {
  return harness({ limits }).transport.fetch(url, init);
}

// ----------------------------------------------------------------------------------------------------------
// What goes through

test('the request goes out as given and the answer comes back with its status, headers and body', async () => {
  const server = await startServer({ status: 201, headers: { 'x-github-request-id': 'ABC' }, body: { id: 1 } });
  const response = await fetchOnce(`${server.url}/app/installations/1/access_tokens`, {
    method: 'POST',
    headers: { authorization: 'Bearer jwt', 'content-type': 'application/json' },
    body: '{"repositories":["a"]}',
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-github-request-id')).toBe('ABC');
  expect(await response.json()).toEqual({ id: 1 });
  expect(server.received[0]).toMatchObject({
    method: 'POST',
    url: '/app/installations/1/access_tokens',
    body: '{"repositories":["a"]}',
    headers: { authorization: 'Bearer jwt' },
  });
});

test.each([
  ['gzip', gzipSync],
  ['deflate', deflateSync],
  ['br', brotliCompressSync],
])('a %s body is decoded, and its coding and length no longer claimed', async (coding, encode) => {
  const server = await serve((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding })
      .end(encode(JSON.stringify({ token: 'zipped' }))),
  );
  const response = await fetchOnce(server.url);
  expect(await response.json()).toEqual({ token: 'zipped' });
  expect(response.headers.get('content-encoding')).toBeNull();
  expect(response.headers.get('content-length')).toBeNull();
});

test("the answer reads as text, JSON or bytes, and its headers look up and iterate as fetch's do", async () => {
  const server = await startServer({
    headers: { 'X-Multi': ['a', 'b'], 'content-type': 'text/plain' },
    body: '{"n":1}',
  });
  const { transport } = harness();
  const answers = await Promise.all([0, 1, 2].map(() => transport.fetch(server.url)));
  expect(await answers[0].text()).toBe('{"n":1}');
  expect(await answers[1].json()).toEqual({ n: 1 });
  expect(Buffer.from(await answers[2].arrayBuffer()).toString()).toBe('{"n":1}');
  const { headers } = answers[0];
  expect([headers.get('x-multi'), headers.has('X-Multi'), headers.has('content-length')]).toEqual([
    'a, b',
    true,
    false,
  ]);
  expect(Object.fromEntries(headers)).toMatchObject({ 'x-multi': 'a, b', 'content-type': 'text/plain' });
});

test('a 204 answer has no body', async () => {
  const server = await startServer({ status: 204 });
  const response = await fetchOnce(server.url);
  expect(response.status).toBe(204);
  expect(response.body).toBeNull();
});

test('a header value with a line break is refused before sending, without quoting it', async () => {
  const server = await startServer({});
  const failure = await failureOf(fetchOnce(server.url, { headers: { authorization: 'Bearer ghs_secret123\r\n' } }));
  expect(failure).toMatchObject({ code: 'INVALID_REQUEST', notSent: true, retryable: false });
  expect(failure.reason).toBe(
    "the value of header 'authorization' has a line break, a control character or surrounding whitespace",
  );
  expect(JSON.stringify(failure)).not.toContain('ghs_secret123');
  expect(server.received).toEqual([]);
});

test('a header value with a line break inside is refused too, without quoting it', async () => {
  const server = await startServer({});
  const failure = await failureOf(fetchOnce(server.url, { headers: { authorization: 'Bearer ghs_sec\nret123' } }));
  expect(failure).toMatchObject({ code: 'INVALID_REQUEST', notSent: true });
  expect(JSON.stringify(failure)).not.toContain('ghs_sec');
  expect(server.received).toEqual([]);
});

test('a body that is not text is refused: the GitHub client only sends JSON text', async () => {
  const server = await startServer({});
  await expect(fetchOnce(server.url, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(
    'the GitHub client sent a body that is not text',
  );
  expect(server.received).toEqual([]);
});

test('a status no HTTP API answers with is not handed on as an answer', async () => {
  const { port } = await startTcpServer((socket) =>
    socket.once('data', () => socket.end('HTTP/1.1 600 Odd\r\ncontent-length: 0\r\n\r\n')),
  );
  expect(await failureOf(fetchOnce(`http://127.0.0.1:${port}/app`))).toEqual({
    code: 'BAD_STATUS',
    reason: 'the server answered with status 600, which no HTTP API answers with',
    hint: 'Check the URL: is it the GitHub REST API?',
    retryable: false,
  });
});

// ----------------------------------------------------------------------------------------------------------
// The body cap (1 MiB)

test('a Content-Length over the cap fails at once, before the body is read', async () => {
  let closed = false;
  const server = await serve((req, res) => {
    req.socket.on('close', () => (closed = true));
    res.writeHead(200, { 'content-length': String(3 * MiB) });
    res.write('{"a":'); // and nothing more: only the declared length can end this in time
  });
  const started = Date.now();
  const failure = await failureOf(fetchOnce(server.url, {}, { requestTimeoutMs: 5000 }));
  expect(Date.now() - started).toBeLessThan(1000);
  expect(failure).toEqual({
    code: 'TOO_LARGE',
    reason: 'the response body (Content-Length 3145728) is larger than the 1 MiB this action reads',
    hint: 'The server is not answering like the API it should be: check the URL.',
    retryable: false,
  });
  // The half-read answer is not left holding the connection.
  await waitFor(() => closed, 'the connection to close');
});

test('an endless chunked body is cut at the cap: the connection is closed after about 1 MiB', async () => {
  const stream: Stream = { written: 0, closed: false };
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    streamEndlessly(res, Buffer.alloc(64 * 1024, 0x20), 50 * MiB, stream);
  });
  const failure = await failureOf(fetchOnce(server.url));
  expect(failure.code).toBe('TOO_LARGE');
  expect(failure.reason).toBe('the response body is larger than the 1 MiB this action reads');
  await waitFor(() => stream.closed, 'the connection to close');
  expect(stream.written).toBeLessThan(8 * MiB);
});

test.each([
  ['gzip', gzipSync],
  ['br', brotliCompressSync],
])('a small %s body that decompresses past the cap fails with TOO_LARGE', async (coding, encode) => {
  const bomb = encode(Buffer.alloc(4 * MiB));
  expect(bomb.byteLength).toBeLessThan(64 * 1024);
  const server = await serve((_req, res) => res.writeHead(200, { 'content-encoding': coding }).end(bomb));
  const failure = await failureOf(fetchOnce(server.url));
  expect(failure).toMatchObject({ code: 'TOO_LARGE', retryable: false });
});

test('TOO_LARGE is not retried', async () => {
  const server = await startServer({ headers: { 'content-length': String(2 * MiB) }, body: '' });
  const { transport, retries } = harness();
  const error = await errorOf(fetchWithRetries(transport, `${server.url}/app`));
  expect(error).toMatchObject({ code: 'TOO_LARGE', attempts: 1 });
  expect(retries).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// The attempt's timeout

test('a server that never answers times out after requestTimeoutMs, and is retried', async () => {
  const server = await startServer({ hang: true });
  const { transport, retries } = harness({ limits: { requestTimeoutMs: 200 }, retry: { maxRetries: 1 } });
  const started = Date.now();
  const error = await errorOf(fetchWithRetries(transport, `${server.url}/app`));
  expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
  expect(error.message).toBe(`GET ${server.url}/app failed after 2 attempts: timed out after 200 ms.`);
  expect(server.received).toHaveLength(2);
  expect(retries.map((r) => r.reason)).toEqual(['timed out after 200 ms']);
});

test('a body that stops coming halfway times out too, and the retry can succeed', async () => {
  let count = 0;
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (count++ === 0) res.write('{"token":');
    else res.end('{"token":"t"}');
  });
  const { transport, retries } = harness({ limits: { requestTimeoutMs: 200 } });
  expect((await fetchWithRetries(transport, server.url)).body).toEqual({ token: 't' });
  expect(retries.map((r) => r.reason)).toEqual(['timed out after 200 ms']);
});
