import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { HttpError } from '../../src/http.js';
import {
  closeAfterTest,
  closeAll,
  closedPort,
  client,
  errorOf,
  listen,
  startServer,
  startUntrustedTlsServer,
  waitFor,
} from './http-test-servers.js';

afterEach(closeAll);

// ----------------------------------------------------------------------------------------------------------
// Direct connections

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

test('a host that does not resolve is named', async () => {
  const { http } = client({ maxRetries: 0 });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://no-such-host.invalid/api/v3/app' }));
  expect(error.message).toMatch(
    /^GET https:\/\/no-such-host\.invalid\/api\/v3\/app failed after 1 attempt: the host name no-such-host\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the URL/,
  );
});

test('an untrusted TLS certificate is not retried, and the fix for a private CA is given', async () => {
  const port = await startUntrustedTlsServer();
  const { http, delays } = client();
  const error = await errorOf(http.request({ method: 'GET', url: `https://127.0.0.1:${port}/api/v3/app` }));
  expect(error).toMatchObject({ code: 'TLS', attempts: 1 });
  expect(error.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT/);
  expect(error.message).toContain('NODE_EXTRA_CA_CERTS');
  expect(delays).toEqual([]);
});

// ----------------------------------------------------------------------------------------------------------
// Through a proxy: the proxy is named, with the variable to check and NO_PROXY as the fixes

test('a proxy that refuses connections is named, with HTTPS_PROXY and NO_PROXY as the fixes', async () => {
  const port = await closedPort();
  const { http } = client({ env: { HTTPS_PROXY: `http://user:pw1234@127.0.0.1:${port}` }, maxRetries: 1 });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://api.github.com/app' }));
  expect(error.message).toBe(
    `GET https://api.github.com/app failed after 2 attempts: connection refused (ECONNREFUSED) by the proxy http://127.0.0.1:${port}. ` +
      'If api.github.com should be reached directly, add it to NO_PROXY; otherwise check HTTPS_PROXY.',
  );
});

test('a proxy that wants credentials fails at once and says where they go', async () => {
  const auth = createServer((_req, res) => res.writeHead(407).end());
  auth.on('connect', (_req, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
  const port = await listen(auth);
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

test('a proxy that refuses the tunnel is named, and a refusal is not retried', async () => {
  const refusing = createServer((_req, res) => res.writeHead(403).end());
  refusing.on('connect', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
  const port = await listen(refusing);
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
  closeAfterTest({
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
