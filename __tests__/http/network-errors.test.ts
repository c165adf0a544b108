// Node's network errors in the words of the job log: over real sockets for the failures a local server can
// cause, and on the error shapes Node and the toolkit produce for the rest.
import { HttpError } from '../../src/http/failure.js';
import { describeNetworkError, timeoutFailure } from '../../src/http/network-errors.js';
import {
  closeAll,
  closedPort,
  errorOf,
  fetchWithRetries,
  harness,
  startServer,
  startTcpServer,
  startUntrustedTlsServer,
} from './servers.js';

afterEach(closeAll);

const proxy = { variable: 'HTTPS_PROXY', url: new URL('http://bot:pw123456@proxy.example:3128') };
const target = new URL('https://api.github.com/app');
const codeError = (code: string, message = `${code} happened`, extra = {}) =>
  Object.assign(new Error(message), { code, ...extra });

// ----------------------------------------------------------------------------------------------------------
// Over real sockets

test('a refused connection is retried, then an HttpError names the method, URL, cause and attempts', async () => {
  const port = await closedPort();
  const { transport, delays, retries } = harness();
  const error = await errorOf(
    transport.request({
      service: 'RingCentral',
      method: 'POST',
      url: `http://127.0.0.1:${port}/restapi/oauth/token`,
      headers: { authorization: 'Basic Y2xpZW50OnNlY3JldA==' },
      form: { assertion: 'eyJhbGciOiJSUzI1NiJ9.secret.signature' },
    }),
  );
  expect(error).toBeInstanceOf(HttpError);
  expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 4, method: 'POST' });
  expect(error.message).toBe(
    `POST http://127.0.0.1:${port}/restapi/oauth/token failed after 4 attempts: ` +
      `connection refused (ECONNREFUSED) by 127.0.0.1:${port}. Check the URL and that the server is up and reachable from the runner.`,
  );
  expect(error.message).not.toMatch(/eyJ|secret|Y2xp/);
  expect(delays).toHaveLength(3);
  expect(retries.map((r) => r.reason)).toEqual(Array(3).fill(`connection refused (ECONNREFUSED) by 127.0.0.1:${port}`));
});

test('a dropped connection is retried and can succeed, on both paths', async () => {
  const server = await startServer({ destroy: true }, { status: 200, body: { ok: true } }, { destroy: true }, {});
  const { transport, retries } = harness();
  expect((await transport.request({ service: 'Test', method: 'GET', url: server.url })).body).toEqual({ ok: true });
  expect((await fetchWithRetries(transport, server.url)).status).toBe(200);
  expect(retries.map((r) => r.reason)).toEqual([
    `the connection to 127.0.0.1:${server.port} was closed before an answer came (ECONNRESET)`,
    `the connection to 127.0.0.1:${server.port} was closed before an answer came (ECONNRESET)`,
  ]);
});

test('a host that does not resolve is named', async () => {
  const { transport } = harness({ retry: { maxRetries: 0 } });
  const error = await errorOf(fetchWithRetries(transport, 'https://no-such-host.invalid/api/v3/app'));
  expect(error.message).toMatch(
    /^GET https:\/\/no-such-host\.invalid\/api\/v3\/app failed after 1 attempt: the host name no-such-host\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the URL for typos, and the runner's DNS\.$/,
  );
});

test('an untrusted TLS certificate is not retried, and the fix for a private CA is given', async () => {
  const port = await startUntrustedTlsServer();
  const { transport, delays } = harness();
  const error = await errorOf(fetchWithRetries(transport, `https://127.0.0.1:${port}/api/v3/app`));
  expect(error).toMatchObject({ code: 'TLS', attempts: 1 });
  expect(error.message).toMatch(
    /: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate\)\. /,
  );
  expect(error.message).toContain("set NODE_EXTRA_CA_CERTS to the CA's PEM file in the job's env");
  expect(delays).toEqual([]);
});

test('https to a server that does not speak it fails the handshake, with the scheme and port to check', async () => {
  const server = await startServer({});
  const { transport, delays } = harness();
  const error = await errorOf(
    transport.request({ service: 'Test', method: 'GET', url: `https://127.0.0.1:${server.port}/` }),
  );
  expect(error).toMatchObject({ code: 'TLS', attempts: 1 });
  expect(error.message).toMatch(
    /: the TLS handshake with 127\.0\.0\.1:\d+ failed \((EPROTO|ERR_SSL_[A-Z_]+)\)\. Check that the URL has the right scheme and port/,
  );
  expect(delays).toEqual([]);
});

test('a server that answers with garbage fails with a short, one-line reason', async () => {
  const { port } = await startTcpServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH\r\n\r\n')));
  const error = await errorOf(
    harness({ retry: { maxRetries: 0 } }).transport.request({
      service: 'Test',
      method: 'GET',
      url: `http://127.0.0.1:${port}/`,
    }),
  );
  expect(error.code).toBe('HPE_INVALID_CONSTANT');
  expect(error.message).toMatch(/failed after 1 attempt: Parse Error: Expected HTTP\/.* \(HPE_INVALID_CONSTANT\)\.$/);
});

// ----------------------------------------------------------------------------------------------------------
// The error shapes of Node, its proxy support and the toolkit's tunnel agent

test('the code is found on the innermost cause, or on the first of the errors Node reports per address', () => {
  const nested = new Error('fetch failed', { cause: new Error('x', { cause: codeError('ECONNREFUSED') }) });
  expect(describeNetworkError(nested, target, undefined).code).toBe('ECONNREFUSED');
  const aggregate = new AggregateError([codeError('ECONNREFUSED'), codeError('ENETUNREACH')], 'all failed');
  expect(describeNetworkError(aggregate, target, undefined)).toMatchObject({
    code: 'ECONNREFUSED',
    reason: 'connection refused (ECONNREFUSED) by api.github.com',
  });
});

test('a host name in the error is the one named; through a proxy, the fix names the proxy variable', () => {
  const failure = describeNetworkError(
    codeError('ENOTFOUND', 'getaddrinfo ENOTFOUND proxy.example', { hostname: 'proxy.example' }),
    target,
    proxy,
  );
  expect(failure).toEqual({
    code: 'ENOTFOUND',
    reason: 'the host name proxy.example could not be resolved (ENOTFOUND)',
    hint: "Check the proxy in HTTPS_PROXY for typos, and the runner's DNS.",
    retryable: true,
  });
});

test("the toolkit's tunnel agent: its ECONNRESET is read for the real cause", () => {
  const tunnel = (cause: string) =>
    codeError('ECONNRESET', `tunneling socket could not be established, cause=${cause}`);
  expect(describeNetworkError(tunnel('connect ECONNREFUSED 127.0.0.1:3128'), target, proxy)).toMatchObject({
    code: 'ECONNREFUSED',
    reason: 'connection refused (ECONNREFUSED) by the proxy http://proxy.example:3128',
  });
  expect(describeNetworkError(tunnel('socket hang up'), target, proxy)).toEqual({
    code: 'PROXY',
    reason: 'the proxy http://proxy.example:3128 closed the connection before the tunnel to api.github.com was open',
    retryable: true,
  });
});

test("Node's own proxy tunnel errors: the status, or the tunnel's timeout", () => {
  const status = (statusCode: number) =>
    describeNetworkError(codeError('ERR_PROXY_TUNNEL', 'Failed to establish tunnel', { statusCode }), target, proxy);
  expect(status(407)).toMatchObject({ code: 'PROXY', retryable: false });
  expect(status(502)).toMatchObject({
    code: 'PROXY',
    reason: 'the proxy http://proxy.example:3128 refused to connect to api.github.com (HTTP 502)',
    retryable: true,
  });
  expect(status(403).retryable).toBe(false);
  const timedOut = codeError('ERR_PROXY_TUNNEL', 'Timed out', { proxyTunnelTimeout: 5000 });
  expect(describeNetworkError(timedOut, target, proxy)).toEqual({
    code: 'TIMEOUT',
    reason: 'timed out after 5 s (through the proxy http://proxy.example:3128)',
    retryable: true,
  });
});

test('a connection that cannot be made in time is described as such', () => {
  expect(
    describeNetworkError(
      codeError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443'),
      new URL('https://10.0.0.1/x'),
      undefined,
    ),
  ).toEqual({
    code: 'ETIMEDOUT',
    reason: 'connecting to 10.0.0.1 timed out (ETIMEDOUT)',
    hint: 'Check that the runner can reach the server (firewall, HTTPS_PROXY).',
    retryable: true,
  });
});

test('an unknown error keeps its code and first line, and is worth another attempt', () => {
  expect(describeNetworkError(codeError('EHOSTUNREACH', 'connect EHOSTUNREACH\nstack'), target, undefined)).toEqual({
    code: 'EHOSTUNREACH',
    reason: 'connect EHOSTUNREACH (EHOSTUNREACH)',
    retryable: true,
  });
  expect(describeNetworkError(new Error('something odd'), target, undefined)).toEqual({
    code: 'NETWORK',
    reason: 'something odd',
    retryable: true,
  });
});

test('a timeout names the proxy it went through, never its credentials', () => {
  expect(timeoutFailure(300, undefined)).toEqual({
    code: 'TIMEOUT',
    reason: 'timed out after 300 ms',
    retryable: true,
  });
  expect(timeoutFailure(10_000, proxy).reason).toBe(
    'timed out after 10 s (through the proxy http://proxy.example:3128)',
  );
});
