import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { closeAll, client, HTTP_DATE, listen, startServer } from './http-test-servers.js';

afterEach(closeAll);

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

test('a compressed response is decompressed', async () => {
  const server = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .end(gzipSync(JSON.stringify({ token: 'zipped' }))),
  );
  const port = await listen(server);
  const response = await client().http.request({ method: 'GET', url: `http://127.0.0.1:${port}` });
  expect(response.body).toEqual({ token: 'zipped' });
});
