// Which proxy a request goes through is the toolkit's decision (@actions/http-client), read from process.env;
// these tests set it there and restore it after each test (setProxyEnv).
//
// The toolkit always goes direct to loopback hosts, so a request that should go through the proxy is sent to
// api.github.test, a name that does not resolve: the forward proxy of test/proxy.ts maps it to 127.0.0.1 and
// records the request. For https, the test server's certificate (test/tls.ts) is signed by a throwaway CA that
// this process is made to trust for the whole file with tls.setDefaultCACertificates (NODE_EXTRA_CA_CERTS is
// read only at startup, too late in-process); the TLS handshake then really runs inside the proxy's tunnel.
import { createServer as createHttpsServer } from 'node:https';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { chooseProxy } from '../../src/http/proxy.js';
import { startProxy, type RunningProxy } from '../../test/proxy.ts';
import { makeTestCertificates } from '../../test/tls.ts';
import {
  closeAll,
  closedPort,
  errorOf,
  fetchWithRetries,
  harness,
  listen,
  setProxyEnv,
  startServer,
  startTcpServer,
  waitFor,
  type Received,
} from './servers.js';

const HOST = 'api.github.test';
const certificates = makeTestCertificates([HOST]);
const systemCas = getCACertificates('default');

let proxy: RunningProxy;
let tlsPort: number;
let tlsReceived: Received[];

beforeAll(() => setDefaultCACertificates([...systemCas, certificates.caPem]));
afterAll(() => setDefaultCACertificates(systemCas));

beforeEach(async () => {
  proxy = await startProxy({ hosts: { [HOST]: '127.0.0.1' } });
  tlsReceived = [];
  const server = createHttpsServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
    tlsReceived.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ via: 'tls' }));
  });
  tlsPort = await listen(server);
});

afterEach(async () => {
  await closeAll();
  await proxy.close();
});

const get = (url: string) => ({ service: 'Test', method: 'GET', url });
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

// ----------------------------------------------------------------------------------------------------------
// Through a real forward proxy

test('HTTPS_PROXY carries https requests through a CONNECT tunnel, for the toolkit client', async () => {
  setProxyEnv({ HTTPS_PROXY: proxy.url });
  const url = `https://${HOST}:${tlsPort}/app?per_page=1`;
  expect((await harness().transport.request(get(url))).body).toEqual({ via: 'tls' });
  expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `${HOST}:${tlsPort}` }]);
  expect(tlsReceived.map((r) => [r.url, r.headers.host])).toEqual([['/app?per_page=1', `${HOST}:${tlsPort}`]]);
});

test("HTTPS_PROXY carries octokit's requests through a CONNECT tunnel too", async () => {
  setProxyEnv({ https_proxy: proxy.url });
  const response = await fetchWithRetries(harness().transport, `https://${HOST}:${tlsPort}/app`);
  expect(response.body).toEqual({ via: 'tls' });
  expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `${HOST}:${tlsPort}` }]);
});

test('HTTP_PROXY carries http requests, which the proxy log shows', async () => {
  const server = await startServer({ body: { via: 'target' } });
  setProxyEnv({ HTTP_PROXY: proxy.url });
  const url = `http://${HOST}:${server.port}/via-proxy?x=1`;
  expect((await harness().transport.request(get(url))).body).toEqual({ via: 'target' });
  // The toolkit tunnels http requests too.
  expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `${HOST}:${server.port}` }]);
  expect(server.received.map((r) => [r.url, r.headers.host])).toEqual([['/via-proxy?x=1', `${HOST}:${server.port}`]]);
});

test('http_proxy, lower case, wins over HTTP_PROXY, and a host:port without a scheme is taken as http', async () => {
  const server = await startServer({});
  setProxyEnv({ http_proxy: proxy.url.replace('http://', ''), HTTP_PROXY: `http://127.0.0.1:${await closedPort()}` });
  expect((await harness().transport.request(get(`http://${HOST}:${server.port}/`))).status).toBe(200);
  expect(proxy.seen).toHaveLength(1);
  expect(chooseProxy(new URL(`http://${HOST}/`))).toEqual({ variable: 'http_proxy', url: new URL(proxy.url) });
});

test('credentials in the proxy URL go, decoded, as Proxy-Authorization, and not to the server', async () => {
  const server = await startServer({});
  setProxyEnv({ HTTP_PROXY: proxy.url.replace('http://', 'http://ci-bot:p%40ss@') });
  await harness().transport.request(get(`http://${HOST}:${server.port}/`));
  expect(proxy.seen).toEqual([
    { method: 'CONNECT', url: `${HOST}:${server.port}`, proxyAuthorization: basic('ci-bot:p@ss') },
  ]);
  expect(server.received[0].headers['proxy-authorization']).toBeUndefined();
});

test('credentials in the proxy URL go with the CONNECT of an https request', async () => {
  setProxyEnv({ HTTPS_PROXY: proxy.url.replace('http://', 'http://ci-bot:p%40ss@') });
  await harness().transport.request(get(`https://${HOST}:${tlsPort}/app`));
  expect(proxy.seen).toEqual([
    { method: 'CONNECT', url: `${HOST}:${tlsPort}`, proxyAuthorization: basic('ci-bot:p@ss') },
  ]);
  expect(tlsReceived[0].headers['proxy-authorization']).toBeUndefined();
});

test('NO_PROXY sends matching hosts directly; others still go through the proxy', async () => {
  setProxyEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com, github.test' });
  const { transport } = harness({ retry: { maxRetries: 0 } });
  // Direct, api.github.test does not resolve: the failure names the host, not the proxy.
  const error = await errorOf(transport.request(get(`https://${HOST}:${tlsPort}/direct`)));
  expect(error.message).toMatch(/the host name api\.github\.test could not be resolved \((ENOTFOUND|EAI_AGAIN)\)/);
  expect(proxy.seen).toEqual([]);
  process.env.NO_PROXY = 'other.test';
  expect((await transport.request(get(`https://${HOST}:${tlsPort}/proxied`))).status).toBe(200);
  expect(proxy.seen).toHaveLength(1);
});

test.each([
  ['api.github.com', 'https://api.github.com/app', true],
  ['github.com', 'https://api.github.com/app', true],
  ['.github.com', 'https://api.github.com/app', true],
  ['github.com', 'https://notgithub.com/app', false],
  ['API.GitHub.com', 'https://api.github.com/app', true],
  [' example.com , api.github.com ', 'https://api.github.com/app', true],
  ['api.github.com:443', 'https://api.github.com/app', true],
  ['api.github.com:8443', 'https://api.github.com/app', false],
  ['ghe.example.com:8080', 'http://ghe.example.com:8080/x', true],
  ['*', 'https://api.github.com/app', true],
  // The toolkit's rules have no wildcards in names and no address ranges.
  ['*.github.com', 'https://api.github.com/app', false],
  ['10.0.0.0/8', 'https://10.1.2.3/api/v3', false],
])('NO_PROXY %j for %s: direct %s, as the toolkit decides', (noProxy, url, direct) => {
  setProxyEnv({ HTTPS_PROXY: 'http://proxy.example:3128', HTTP_PROXY: 'http://proxy.example:3128', no_proxy: noProxy });
  expect(chooseProxy(new URL(url)) === undefined).toBe(direct);
});

test('loopback hosts are always reached directly, whatever the proxy settings', async () => {
  const server = await startServer({});
  setProxyEnv({ HTTP_PROXY: `http://127.0.0.1:${await closedPort()}` });
  const { transport } = harness();
  expect((await transport.request(get(`${server.url}/direct`))).status).toBe(200);
  expect((await fetchWithRetries(transport, `${server.url}/direct`)).status).toBe(200);
  expect(server.received).toHaveLength(2);
  expect(chooseProxy(new URL('http://localhost:8080/'))).toBeUndefined();
  expect(chooseProxy(new URL('http://[::1]:8080/'))).toBeUndefined();
});

// ----------------------------------------------------------------------------------------------------------
// Which proxy, from the environment

test('HTTPS_PROXY is not used for http URLs, nor HTTP_PROXY for https ones', () => {
  setProxyEnv({ HTTPS_PROXY: 'http://proxy.example:3128' });
  expect(chooseProxy(new URL(`http://${HOST}/`))).toBeUndefined();
  setProxyEnv({ HTTP_PROXY: 'http://proxy.example:3128' });
  expect(chooseProxy(new URL(`https://${HOST}/`))).toBeUndefined();
  expect(chooseProxy(new URL(`http://${HOST}/`))).toEqual({
    variable: 'HTTP_PROXY',
    url: new URL('http://proxy.example:3128'),
  });
});

test.each([
  ['http://user:se cret@', 'https_proxy'],
  ['http://', 'HTTPS_PROXY'],
  [' ', 'HTTPS_PROXY'],
  ['proxy.example:3128', 'https_proxy'],
])(
  'a proxy variable that is not a proxy URL (%j) fails the request unsent, without quoting it',
  async (value, variable) => {
    setProxyEnv({ [variable]: value });
    const { transport, retries } = harness();
    const error = await errorOf(transport.request(get(`https://${HOST}/app`)));
    expect(error).toMatchObject({ code: 'PROXY', attempts: 0 });
    expect(error.message).toBe(
      `GET https://${HOST}/app was not sent: ${variable} is set but is not a proxy URL this action can use. ` +
        'Set it like http://proxy.example.com:3128 (or http://user:password@proxy.example.com:3128), or unset it.',
    );
    expect(retries).toEqual([]);
  },
);

test.each([
  ['HTTP_PROXY', 'socks5://ci-bot:hunter22@127.0.0.1:1080', 'socks5://127.0.0.1:1080'],
  ['http_proxy', 'socks://127.0.0.1:1080', 'socks://127.0.0.1:1080'],
])(
  'a SOCKS proxy in %s fails the request at once, naming the variable and the fixes',
  async (variable, value, shown) => {
    setProxyEnv({ [variable]: value });
    const { transport, retries } = harness();
    const error = await errorOf(transport.request(get(`http://${HOST}/app`)));
    expect(error).toMatchObject({ code: 'PROXY', attempts: 0 });
    expect(error.message).toBe(
      `GET http://${HOST}/app was not sent: ${variable} is a SOCKS proxy (${shown}), and SOCKS proxies are not ` +
        `supported. Use an HTTP(S) proxy URL (e.g. http://proxy:3128), or add ${HOST} to NO_PROXY.`,
    );
    expect(error.message).not.toContain('hunter22');
    expect(retries).toEqual([]);
  },
);

// ----------------------------------------------------------------------------------------------------------
// A proxy that fails: it is named, with the variable to check and NO_PROXY as the fixes

test('a proxy that refuses connections is named, without its credentials, and is retried', async () => {
  const port = await closedPort();
  setProxyEnv({ HTTPS_PROXY: `http://user:pw1234@127.0.0.1:${port}` });
  const { transport, retries } = harness({ retry: { maxRetries: 1 } });
  const error = await errorOf(transport.request(get(`https://${HOST}/app`)));
  expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 2 });
  expect(error.message).toBe(
    `GET https://${HOST}/app failed after 2 attempts: connection refused (ECONNREFUSED) by the proxy http://127.0.0.1:${port}. ` +
      `If ${HOST} should be reached directly, add it to NO_PROXY; otherwise check HTTPS_PROXY.`,
  );
  expect(retries).toHaveLength(1);
});

test('a proxy whose name does not resolve is named, with the variable to check', async () => {
  setProxyEnv({ HTTPS_PROXY: 'http://proxy.invalid:3128' });
  const error = await errorOf(harness({ retry: { maxRetries: 0 } }).transport.request(get(`https://${HOST}/app`)));
  expect(error.message).toMatch(
    /^GET https:\/\/api\.github\.test\/app failed after 1 attempt: the host name proxy\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the proxy in HTTPS_PROXY for typos, and the runner's DNS\.$/,
  );
});

test.each(['https', 'http'])(
  'a proxy that wants credentials fails an %s request at once and says where they go',
  async (scheme) => {
    const { port } = await startTcpServer((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n')),
    );
    const variable = scheme === 'https' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    setProxyEnv({ [variable]: `http://127.0.0.1:${port}` });
    const { transport, retries } = harness();
    const error = await errorOf(transport.request(get(`${scheme}://${HOST}/app`)));
    expect(error).toMatchObject({ code: 'PROXY', attempts: 1 });
    expect(error.message).toBe(
      `GET ${scheme}://${HOST}/app failed after 1 attempt: the proxy http://127.0.0.1:${port} asks for credentials ` +
        `(HTTP 407 Proxy Authentication Required). Put them in ${variable}: http://user:password@host:port ` +
        '(URL-encode special characters).',
    );
    expect(retries).toEqual([]);
  },
);

test('a proxy that refuses the tunnel is named, and a refusal is not retried', async () => {
  const { port } = await startTcpServer((socket) =>
    socket.once('data', () => socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')),
  );
  setProxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
  const { transport, retries } = harness();
  const error = await errorOf(fetchWithRetries(transport, `https://${HOST}/app`));
  expect(error).toMatchObject({ code: 'PROXY', attempts: 1 });
  expect(error.message).toBe(
    `GET https://${HOST}/app failed after 1 attempt: the proxy http://127.0.0.1:${port} refused to connect to ${HOST} (HTTP 403). ` +
      `If ${HOST} should be reached directly, add it to NO_PROXY; otherwise check HTTPS_PROXY.`,
  );
  expect(retries).toEqual([]);
});

test('a proxy that cannot reach the server (502) is named, and retried', async () => {
  const port = await closedPort();
  setProxyEnv({ HTTPS_PROXY: proxy.url });
  const { transport, retries } = harness({ retry: { maxRetries: 1 } });
  // The proxy maps api.github.test to 127.0.0.1, where nothing listens on this port: it answers CONNECT with 502.
  const error = await errorOf(transport.request(get(`https://${HOST}:${port}/app`)));
  expect(error).toMatchObject({ code: 'PROXY', attempts: 2 });
  expect(error.message).toContain(`the proxy ${proxy.url} refused to connect to ${HOST}:${port} (HTTP 502)`);
  expect(retries).toHaveLength(1);
  expect(proxy.seen).toEqual([
    { method: 'CONNECT', url: `${HOST}:${port}` },
    { method: 'CONNECT', url: `${HOST}:${port}` },
  ]);
});

test('a proxy that hangs up on CONNECT is named, and retried', async () => {
  const { port } = await startTcpServer((socket) => socket.once('data', () => socket.destroy()));
  setProxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
  const { transport, retries } = harness({ retry: { maxRetries: 1 } });
  const error = await errorOf(transport.request(get(`https://${HOST}/app`)));
  expect(error).toMatchObject({ code: 'PROXY', attempts: 2 });
  expect(error.message).toBe(
    `GET https://${HOST}/app failed after 2 attempts: the proxy http://127.0.0.1:${port} closed the connection ` +
      `before the tunnel to ${HOST} was open.`,
  );
  expect(retries).toHaveLength(1);
});

test('a proxy that never answers CONNECT times out like any attempt, and the half-open tunnel is closed', async () => {
  // Reads the CONNECT (to see the end of the connection), never answers.
  const { port, sockets } = await startTcpServer((socket) => socket.resume());
  setProxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
  const { transport } = harness({ limits: { requestTimeoutMs: 200 }, retry: { maxRetries: 0 } });
  const error = await errorOf(transport.request(get(`https://${HOST}/app`)));
  expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
  expect(error.message).toBe(
    `GET https://${HOST}/app failed after 1 attempt: timed out after 200 ms (through the proxy http://127.0.0.1:${port}).`,
  );
  await waitFor(() => sockets.length === 1 && sockets.every((socket) => socket.readableEnded), 'the tunnel to close');
});
