import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bypassesProxy, chooseProxy } from '../../src/proxy.js';
import {
  closeAll,
  closedPort,
  client,
  errorOf,
  startServer,
  startUntrustedTlsServer,
  waitFor,
} from './http-test-servers.js';

afterEach(closeAll);

// ----------------------------------------------------------------------------------------------------------
// Through a real forward proxy in its own process

interface ProxyProcess {
  url: string;
  seen: Array<{ method: string; url: string; proxyAuthorization?: string }>;
}

const PROXY_SCRIPT = fileURLToPath(new URL('../../test/proxy.ts', import.meta.url));
let proxyChild: ChildProcess | undefined;
let proxy: ProxyProcess;

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
  const port = await startUntrustedTlsServer();
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

// ----------------------------------------------------------------------------------------------------------
// Which proxy, from the environment

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

test('a proxy variable that is not a URL is named without quoting it', async () => {
  const { http } = client({ env: { https_proxy: 'http://user:se cret@' } });
  const error = await errorOf(http.request({ method: 'GET', url: 'https://api.github.com/app' }));
  expect(error.code).toBe('PROXY');
  expect(error.message).toMatch(
    /^GET https:\/\/api\.github\.com\/app was not sent: https_proxy is set but is not a proxy URL/,
  );
  expect(error.message).not.toContain('se cret');
});

test('a SOCKS proxy fails the request at once, naming the variable and the fixes', async () => {
  const server = await startServer({});
  for (const [variable, value, shown] of [
    ['HTTP_PROXY', 'socks5://ci-bot:hunter22@127.0.0.1:1080', 'socks5://127.0.0.1:1080'],
    ['http_proxy', 'socks://127.0.0.1:1080', 'socks://127.0.0.1:1080'],
  ]) {
    const { http, retries } = client({ env: { [variable]: value } });
    const error = await errorOf(http.request({ method: 'GET', url: `${server.url}/app` }));
    expect(error).toMatchObject({ code: 'PROXY', attempts: 0 });
    expect(error.message).toBe(
      `GET ${server.url}/app was not sent: ${variable} is a SOCKS proxy (${shown}), and SOCKS proxies are not ` +
        'supported. Use an HTTP(S) proxy URL (e.g. http://proxy:3128), or add 127.0.0.1 to NO_PROXY.',
    );
    expect(error.message).not.toContain('hunter22');
    expect(retries).toEqual([]);
  }
  expect(server.received).toEqual([]);
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

test('the proxy names the variable it came from; a blank value or a NO_PROXY match means none', () => {
  expect(chooseProxy(new URL('https://api.github.com'), { https_proxy: 'proxy:3128' })).toEqual({
    variable: 'https_proxy',
    url: new URL('http://proxy:3128'),
  });
  expect(chooseProxy(new URL('https://api.github.com'), { HTTPS_PROXY: 'http://p:1', no_proxy: 'github.com' })).toBe(
    undefined,
  );
  expect(chooseProxy(new URL('https://api.github.com'), { HTTPS_PROXY: ' ' })).toBeUndefined();
});
