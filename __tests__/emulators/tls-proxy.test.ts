import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ProxyAgent, request } from 'undici';
import { makeTestApp, signTestJwt, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { startProxy, type RunningProxy } from '../../test/proxy.ts';
import { makeTestCertificates } from '../../test/tls.ts';

const HOST = 'api.github.test';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROXY_SCRIPT = fileURLToPath(new URL('../../test/proxy.ts', import.meta.url));

const { app, privateKeyPem } = makeTestApp({ slug: 'tls-app' });
const certificates = makeTestCertificates([HOST]);
const appJwt = () => {
  const now = Math.floor(Date.now() / 1000);
  return signTestJwt({ iat: now - 60, exp: now + 540, iss: app.id }, privateKeyPem);
};

let emulator: GitHubEmulator;
let proxy: RunningProxy;

beforeEach(async () => {
  emulator = await startGitHubEmulator({ apps: [app], tls: certificates, urlHost: HOST });
  proxy = await startProxy({ hosts: { [HOST]: '127.0.0.1' } });
});

afterEach(async () => {
  await proxy.close();
  await emulator.close();
});

test('the emulator reports an https URL with the given host name', () => {
  expect(emulator.url).toMatch(/^https:\/\/api\.github\.test:\d+$/);
});

test('GET /app over HTTPS through the proxy, which records CONNECT with the original host name', async () => {
  const agent = new ProxyAgent({ uri: proxy.url, requestTls: { ca: certificates.caPem } });
  try {
    const response = await request(`${emulator.url}/app`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${appJwt()}`, accept: 'application/vnd.github+json' },
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toMatchObject({ id: app.id, slug: 'tls-app' });
  } finally {
    await agent.close();
  }
  const port = new URL(emulator.url).port;
  expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `${HOST}:${port}` }]);
  expect(emulator.requests.map((r) => [r.method, r.path, r.headers.host])).toEqual([
    ['GET', '/app', `${HOST}:${port}`],
  ]);
});

test('a child process trusts the CA through NODE_EXTRA_CA_CERTS and reaches the emulator with @actions/http-client', async () => {
  const script = [
    "import { HttpClient } from '@actions/http-client';",
    "const client = new HttpClient('tls-proxy-test');",
    'const response = await client.getJson(process.env.TARGET, { authorization: `Bearer ${process.env.JWT}` });',
    'console.log(JSON.stringify(response));',
  ].join('\n');
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
      HTTPS_PROXY: proxy.url,
      TARGET: `${emulator.url}/app`,
      JWT: appJwt(),
    },
  });
  expect(JSON.parse(stdout)).toMatchObject({ statusCode: 200, result: { id: app.id, slug: 'tls-app' } });
  expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `${HOST}:${new URL(emulator.url).port}` }]);
});

test('without the CA the TLS handshake fails: the certificate is not trusted by default', async () => {
  const agent = new ProxyAgent({ uri: proxy.url });
  try {
    await expect(request(`${emulator.url}/app`, { dispatcher: agent })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  } finally {
    await agent.close();
  }
  expect(emulator.requests).toEqual([]);
});

describe('the proxy CLI with PROXY_HOSTS', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  test('forwards an absolute-URI request for a mapped name to 127.0.0.1 and logs the original URI', async () => {
    const plain = await startGitHubEmulator({ apps: [app], urlHost: HOST });
    try {
      child = spawn(process.execPath, [PROXY_SCRIPT], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PROXY_HOSTS: JSON.stringify({ [HOST]: '127.0.0.1' }) },
      });
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      const messages: Array<Record<string, unknown>> = [];
      const proxyUrl = await new Promise<string>((resolve, reject) => {
        child?.on('exit', (code) => reject(new Error(`test/proxy.ts exited with ${code}`)));
        lines.on('line', (line) => {
          const message = JSON.parse(line);
          if ('port' in message) resolve(message.url);
          else messages.push(message);
        });
      });
      const target = `${plain.url}/app`;
      const proxyPort = new URL(proxyUrl).port;
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: proxyPort,
            path: target,
            headers: { host: new URL(target).host, authorization: `Bearer ${appJwt()}` },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ id: app.id });
      // The proxy logs a request before forwarding it, but the log line may still be in the pipe.
      for (let tries = 0; messages.length === 0 && tries < 100; tries++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(messages).toEqual([{ method: 'GET', url: target }]);
      expect(plain.requests.map((r) => r.headers.host)).toEqual([new URL(target).host]);
    } finally {
      await plain.close();
    }
  });
});
