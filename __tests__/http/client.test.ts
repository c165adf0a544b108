// The toolkit's client (@actions/http-client) as the services that are not GitHub use it, through the
// transport's request(): what is sent, how the answer is read, and the bounds every attempt lives under.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import {
  closeAll,
  errorOf,
  harness,
  HTTP_DATE,
  MiB,
  serve,
  startServer,
  streamEndlessly,
  waitFor,
  type Stream,
} from './servers.js';

afterEach(closeAll);

const get = (url: string) => ({ service: 'Test', method: 'GET', url });

// ----------------------------------------------------------------------------------------------------------
// What is sent

test('a form body is sent as application/x-www-form-urlencoded, with the user agent and a JSON accept', async () => {
  const server = await startServer({});
  await harness().transport.request({
    service: 'RingCentral',
    method: 'POST',
    url: `${server.url}/restapi/oauth/token`,
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b c' },
  });
  const { method, url, headers, body } = server.received[0];
  expect([method, url]).toEqual(['POST', '/restapi/oauth/token']);
  expect(headers).toMatchObject({
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'app-jwt-action',
    accept: 'application/json',
  });
  expect(body).toBe('grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b+c');
});

test('a JSON body is sent as application/json, exactly as serialized', async () => {
  const server = await startServer({});
  await harness().transport.request({
    service: 'Vault',
    method: 'POST',
    url: `${server.url}/v1/transit/sign/app-key`,
    headers: { 'X-Vault-Token': 'hvs.t0ken' },
    json: { input: 'ZXlK+/=', key_version: 2, prehashed: false },
  });
  const { method, url, headers, body } = server.received[0];
  expect([method, url]).toEqual(['POST', '/v1/transit/sign/app-key']);
  expect(headers).toMatchObject({
    'content-type': 'application/json',
    'x-vault-token': 'hvs.t0ken',
    accept: 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  expect(body).toBe('{"input":"ZXlK+/=","key_version":2,"prehashed":false}');
});

test("the caller's headers win over the defaults, whatever their case", async () => {
  const server = await startServer({});
  await harness().transport.request({
    ...get(server.url),
    headers: { Accept: 'application/vnd.api+json', Authorization: 'Bearer t0ken' },
  });
  expect(server.received[0].headers).toMatchObject({
    accept: 'application/vnd.api+json',
    authorization: 'Bearer t0ken',
  });
});

test('a POST without a body says so with a content length of 0', async () => {
  const server = await startServer({});
  await harness().transport.request({ service: 'Test', method: 'POST', url: server.url });
  expect(server.received[0]).toMatchObject({ method: 'POST', body: '' });
  expect(server.received[0].headers['content-length']).toBe('0');
});

test('a header value with a line break is refused before sending, without quoting it', async () => {
  const server = await startServer({});
  const { transport, retries } = harness();
  const error = await errorOf(
    transport.request({ ...get(`${server.url}/x`), headers: { authorization: 'Bearer ghs_secret123\n' } }),
  );
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0 });
  expect(error.message).toBe(
    `GET ${server.url}/x was not sent: the value of header 'authorization' has a line break, a control character ` +
      'or surrounding whitespace. If it comes from a secret, store the secret without a trailing newline or spaces.',
  );
  expect(server.received).toEqual([]);
  expect(retries).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// How the answer is read

test('a JSON response is parsed, with its status, headers (any case) and Date', async () => {
  const server = await startServer({
    status: 201,
    headers: { date: HTTP_DATE, 'X-Request-Id': 'ABC' },
    body: { token: 'x', expires_in: 3600 },
  });
  const response = await harness().transport.request(get(`${server.url}/token`));
  expect(response.status).toBe(201);
  expect(response.body).toEqual({ token: 'x', expires_in: 3600 });
  expect(response.headers.get('x-request-id')).toBe('ABC');
  expect(response.headers.get('X-REQUEST-ID')).toBe('ABC');
  expect(response.date?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
});

test('+json types are JSON too; other types, bad JSON and empty bodies stay text', async () => {
  const server = await startServer(
    { headers: { 'content-type': 'application/vnd.api+json' }, body: '{"a":1}' },
    { headers: { 'content-type': 'text/html' }, body: '<h1>Bad gateway</h1>' },
    { headers: { 'content-type': 'application/json' }, body: '{"truncated' },
    { status: 204 },
  );
  const { transport } = harness();
  const bodies = [];
  for (let i = 0; i < 4; i++) bodies.push((await transport.request(get(server.url))).body);
  expect(bodies).toEqual([{ a: 1 }, '<h1>Bad gateway</h1>', '{"truncated', '']);
});

test('a Date header that is not a date gives no date', async () => {
  const server = await startServer({ headers: { date: 'not a date' } });
  expect((await harness().transport.request(get(server.url))).date).toBeUndefined();
});

test.each([
  ['gzip', gzipSync],
  ['deflate', deflateSync],
  ['br', brotliCompressSync],
  ['x-gzip', gzipSync],
])('a %s body is decoded, exactly once', async (coding, encode) => {
  const server = await serve((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding })
      .end(encode(JSON.stringify({ token: 'zipped' }))),
  );
  expect((await harness().transport.request(get(server.url))).body).toEqual({ token: 'zipped' });
});

test('stacked codings are undone last first', async () => {
  const server = await serve((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip, br' })
      .end(brotliCompressSync(gzipSync('twice'))),
  );
  expect((await harness().transport.request(get(server.url))).body).toBe('twice');
});

// ----------------------------------------------------------------------------------------------------------
// The body cap (1 MiB): no answer takes more memory, however big it says it is or becomes

test('a Content-Length over the cap fails at once, before the body is read, and is not retried', async () => {
  let closed = false;
  const server = await serve((req, res) => {
    req.socket.on('close', () => (closed = true));
    res.writeHead(200, { 'content-length': String(2 * MiB) });
    res.write('{"a":'); // and nothing more: only the declared length can end this in time
  });
  const { transport } = harness({ limits: { requestTimeoutMs: 5000 } });
  const started = Date.now();
  const error = await errorOf(transport.request(get(`${server.url}/big`)));
  expect(Date.now() - started).toBeLessThan(1000);
  expect(error).toMatchObject({ code: 'TOO_LARGE', attempts: 1 });
  expect(error.message).toBe(
    `GET ${server.url}/big failed after 1 attempt: the response body (Content-Length 2097152) is larger than the ` +
      '1 MiB this action reads. The server is not answering like the API it should be: check the URL.',
  );
  expect(server.received).toHaveLength(1);
  await waitFor(() => closed, 'the connection to close');
});

test('an endless chunked body is cut at the cap: the connection is closed after about 1 MiB', async () => {
  const stream: Stream = { written: 0, closed: false };
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    streamEndlessly(res, Buffer.alloc(64 * 1024, 0x20), 50 * MiB, stream);
  });
  const error = await errorOf(harness().transport.request(get(server.url)));
  expect(error.code).toBe('TOO_LARGE');
  expect(error.message).toContain('the response body is larger than the 1 MiB this action reads');
  await waitFor(() => stream.closed, 'the connection to close');
  // What the socket buffers held besides the cap; nowhere near the 50 MiB on offer.
  expect(stream.written).toBeLessThan(8 * MiB);
});

test.each([
  ['gzip', gzipSync],
  ['br', brotliCompressSync],
])('a small %s body that decompresses past the cap fails with TOO_LARGE', async (coding, encode) => {
  const bomb = encode(Buffer.alloc(4 * MiB));
  expect(bomb.byteLength).toBeLessThan(64 * 1024);
  const server = await serve((_req, res) => res.writeHead(200, { 'content-encoding': coding }).end(bomb));
  const error = await errorOf(harness().transport.request(get(server.url)));
  expect(error.code).toBe('TOO_LARGE');
  expect(error.message).toContain('the response body once decompressed is larger than the 1 MiB this action reads');
});

test('a compressed body over the cap as sent fails too, even when it decompresses to nothing', async () => {
  // Empty gzip members, one after another: 2 MiB on the wire, not one byte once decoded.
  const empty = gzipSync(Buffer.alloc(0));
  const body = Buffer.concat(Array(Math.ceil((2 * MiB) / empty.byteLength)).fill(empty));
  const server = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(body));
  const error = await errorOf(harness().transport.request(get(server.url)));
  expect(error.code).toBe('TOO_LARGE');
  expect(error.message).toContain('the response body as sent is larger than the 1 MiB this action reads');
});

test('a body just under the cap is read whole', async () => {
  const text = randomBytes(MiB / 2 - 8).toString('hex');
  const server = await startServer({ headers: { 'content-type': 'text/plain' }, body: text });
  expect((await harness().transport.request(get(server.url))).body).toBe(text);
});

// ----------------------------------------------------------------------------------------------------------
// The attempt's timeout

test('a server that never answers times out after requestTimeoutMs, and is retried', async () => {
  const server = await startServer({ hang: true });
  const { transport, retries } = harness({ limits: { requestTimeoutMs: 200 }, retry: { maxRetries: 1 } });
  const started = Date.now();
  const error = await errorOf(transport.request(get(`${server.url}/slow`)));
  expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
  expect(error.message).toBe(`GET ${server.url}/slow failed after 2 attempts: timed out after 200 ms.`);
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
  expect((await transport.request(get(server.url))).body).toEqual({ token: 't' });
  expect(retries.map((r) => r.reason)).toEqual(['timed out after 200 ms']);
});
