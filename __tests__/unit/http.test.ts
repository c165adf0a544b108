import { createHttpClient } from '../../src/http.js';
import { closeAfterTest, closeAll, client, startServer } from './http-test-servers.js';

afterEach(closeAll);

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

test('the client backs off more on each retry', async () => {
  const server = await startServer({ status: 502 });
  const { http, delays } = client({ baseDelayMs: 200, random: () => 0.75 });
  await http.request({ method: 'GET', url: server.url });
  expect(delays).toEqual([150, 300, 600]);
});

test('the default sleep really waits', async () => {
  const server = await startServer({ status: 500 }, { status: 200 });
  const http = createHttpClient({ env: {}, baseDelayMs: 100, random: () => 1 });
  closeAfterTest(http);
  const started = Date.now();
  expect((await http.request({ method: 'GET', url: server.url })).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
});
