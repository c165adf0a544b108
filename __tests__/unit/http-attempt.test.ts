import { createServer } from 'node:http';
import { closeAll, client, errorOf, listen, startServer } from './http-test-servers.js';

afterEach(closeAll);

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
  const { http } = client({ timeoutMs: 300, maxRetries: 0 });
  const error = await errorOf(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/half` }));
  expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
  expect(error.message).toBe(`GET http://127.0.0.1:${port}/half failed after 1 attempt: timed out after 300 ms.`);
});
