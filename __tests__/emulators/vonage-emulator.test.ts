import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  makeVonageApp,
  startVonageEmulator,
  VONAGE_ERRORS,
  type VonageEmulator,
  type VonageEmulatorOptions,
} from '../../test/emulators/vonage.ts';

const app = makeVonageApp();
const other = makeVonageApp();

const VOICE_401 = { type: 'UNAUTHORIZED', error_title: 'Unauthorized' };
const EMPTY_PAGE = {
  count: 0,
  page_size: 10,
  record_index: 0,
  _links: { self: { href: '/v1/calls?page_size=10&record_index=0&order=asc' } },
  _embedded: { calls: [] },
};

const now = () => Math.floor(Date.now() / 1000);

/** A JWT as the action signs it: iat now, a fresh jti, 15 minutes, RS256 with the application's key. */
function vonageJwt(claims: Record<string, unknown> = {}, key = app.privateKeyPem): string {
  return jwt.sign(
    { application_id: app.applicationId, iat: now(), jti: randomUUID(), exp: now() + 900, ...claims },
    key,
    { algorithm: 'RS256' },
  );
}

/** Signs exactly the header and claims given, so a test can leave a claim out or pick any alg. */
function rawJwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), app.privateKeyPem).toString('base64url')}`;
}

let emulator: VonageEmulator;

async function start(options: Partial<VonageEmulatorOptions> = {}): Promise<VonageEmulator> {
  emulator = await startVonageEmulator({
    applications: [
      { id: app.applicationId, publicKey: app.publicKey },
      { id: other.applicationId, publicKey: other.publicKey },
    ],
    ...options,
  });
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
});

async function call(method: string, path: string, auth?: string, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth !== undefined) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(emulator.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const listCalls = (token: string, query = '') => call('GET', `/v1/calls${query}`, `Bearer ${token}`);

describe('Voice API GET /v1/calls with an application JWT', () => {
  beforeEach(() => start());

  test('a valid JWT gets 200 and an empty page shaped like Vonage’s', async () => {
    const response = await listCalls(vonageJwt());
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EMPTY_PAGE);
  });

  test('every response carries Date, a JSON content type and the gateway’s security headers', async () => {
    const response = await listCalls(vonageJwt());
    expect(Math.abs(Date.parse(response.headers.get('date')!) - Date.now())).toBeLessThan(2000);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubdomains');
  });

  test('page_size, record_index and order are echoed; page_size is capped at 100', async () => {
    const response = await listCalls(vonageJwt(), '?page_size=500&record_index=20&order=desc');
    expect(response.body).toEqual({
      ...EMPTY_PAGE,
      page_size: 100,
      record_index: 20,
      _links: { self: { href: '/v1/calls?page_size=100&record_index=20&order=desc' } },
    });
  });

  test('sub and acl are accepted and recorded with the other claims', async () => {
    const acl = { paths: { '/*/calls/**': {} } };
    expect((await listCalls(vonageJwt({ sub: 'alice', acl }))).status).toBe(200);
    expect(emulator.acceptedJwts()).toEqual([
      expect.objectContaining({
        applicationId: app.applicationId,
        route: 'GET /v1/calls',
        claims: expect.objectContaining({ sub: 'alice', acl }),
      }),
    ]);
  });

  test('a replayed jti is accepted, as Vonage lets a JWT be reused until it expires', async () => {
    const token = vonageJwt({ jti: 'same-jti' });
    expect((await listCalls(token)).status).toBe(200);
    expect((await listCalls(token)).status).toBe(200);
    expect(emulator.acceptedJwts().map((entry) => entry.jti)).toEqual(['same-jti', 'same-jti']);
  });

  test('exp exactly 24 h after iat is accepted', async () => {
    const iat = now();
    expect((await listCalls(vonageJwt({ iat, exp: iat + 86_400 }))).status).toBe(200);
  });

  test('an nbf in the past is accepted', async () => {
    expect((await listCalls(vonageJwt({ nbf: now() - 5 }))).status).toBe(200);
  });

  test('each application is checked against its own key', async () => {
    const token = vonageJwt({ application_id: other.applicationId }, other.privateKeyPem);
    expect((await listCalls(token)).status).toBe(200);
  });
});

describe('Voice API refusals: 401 with Vonage’s legacy body, whatever the reason', () => {
  beforeEach(() => start());

  async function expectRefused(auth: string | undefined, reason: string) {
    const response = await call('GET', '/v1/calls', auth);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(VOICE_401);
    expect(emulator.rejectedJwts()).toEqual([{ reason, route: 'GET /v1/calls' }]);
    expect(emulator.acceptedJwts()).toEqual([]);
  }

  test('no Authorization header', () => expectRefused(undefined, 'missing'));

  test('a scheme other than Bearer', () =>
    expectRefused(`Basic ${Buffer.from('key:secret').toString('base64')}`, 'not-bearer'));

  test('a string that is not a JWT', () => expectRefused('Bearer INVALID', 'malformed'));

  test('signed with another application’s key', () =>
    expectRefused(`Bearer ${vonageJwt({}, other.privateKeyPem)}`, 'signature'));

  test('an application_id Vonage does not know', () =>
    expectRefused(`Bearer ${vonageJwt({ application_id: randomUUID() })}`, 'unknown-application'));

  test('HS256 instead of RS256', () =>
    expectRefused(
      `Bearer ${jwt.sign({ application_id: app.applicationId, iat: now(), jti: 'j', exp: now() + 60 }, 'secret')}`,
      'algorithm',
    ));

  test('alg none', () =>
    expectRefused(
      `Bearer ${rawJwt({ application_id: app.applicationId, iat: now(), jti: 'j', exp: now() + 60 }, { alg: 'none' })}`,
      'algorithm',
    ));

  test('no iat', () =>
    expectRefused(`Bearer ${rawJwt({ application_id: app.applicationId, jti: 'j', exp: now() + 60 })}`, 'iat'));

  test('no jti', () =>
    expectRefused(`Bearer ${rawJwt({ application_id: app.applicationId, iat: now(), exp: now() + 60 })}`, 'jti'));

  test('no exp', () =>
    expectRefused(`Bearer ${rawJwt({ application_id: app.applicationId, iat: now(), jti: 'j' })}`, 'exp'));

  test('exp in the past', () => expectRefused(`Bearer ${vonageJwt({ iat: now() - 120, exp: now() - 60 })}`, 'expired'));

  test('exp more than 24 h after iat', () => {
    const iat = now();
    return expectRefused(`Bearer ${vonageJwt({ iat, exp: iat + 86_401 })}`, 'too-long');
  });

  test('nbf in the future', () => expectRefused(`Bearer ${vonageJwt({ nbf: now() + 60 })}`, 'nbf'));
});

describe('Messages API POST /v1/messages', () => {
  beforeEach(() => start());
  const message = { message_type: 'text', text: 'hi', to: '447700900000', from: '447700900001', channel: 'sms' };

  test('a valid JWT gets 202 and a message_uuid', async () => {
    const response = await call('POST', '/v1/messages', `Bearer ${vonageJwt()}`, message);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ message_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  test('a refused JWT gets 401 as an RFC 7807 problem with the request’s trace id as instance', async () => {
    const response = await call('POST', '/v1/messages', `Bearer ${vonageJwt({ exp: now() - 1 })}`, message);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toEqual({
      type: 'https://developer.nexmo.com/api-errors#unauthorized',
      title: 'Unauthorised',
      detail: 'Invalid Token',
      instance: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(response.body).toEqual(VONAGE_ERRORS.messagesUnauthorized(response.body.instance));
  });
});

describe('routing', () => {
  beforeEach(() => start());

  test('a known path with another method: 405 for a valid JWT, with Allow', async () => {
    const response = await call('PUT', '/v1/calls', `Bearer ${vonageJwt()}`);
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ type: 'METHOD_NOT_ALLOWED', error_title: 'Method Not Allowed' });
    expect(response.headers.get('allow')).toBe('GET');
  });

  test('a known path with another method: 401 first when the JWT is bad', async () => {
    const response = await call('DELETE', '/v1/calls', 'Bearer INVALID');
    expect(response.status).toBe(401);
    expect(response.body).toEqual(VOICE_401);
  });

  test('an unknown path: 404', async () => {
    const response = await call('GET', '/v1/call', `Bearer ${vonageJwt()}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ type: 'NOT_FOUND', error_title: 'Not Found' });
  });
});

describe('the server clock', () => {
  test('clockOffsetSeconds moves the Date header and the exp check', async () => {
    await start({ clockOffsetSeconds: 1000 });
    const response = await listCalls(vonageJwt());
    expect(response.status).toBe(401);
    expect(emulator.rejectedJwts()[0].reason).toBe('expired');
    expect(Math.abs(Date.parse(response.headers.get('date')!) - (Date.now() + 1_000_000))).toBeLessThan(2000);
    expect(Math.abs(emulator.serverNow() - (now() + 1000))).toBeLessThanOrEqual(1);
  });

  test('setClockOffset: a server 60 s behind sees nbf = now as in the future; back in step it passes', async () => {
    await start();
    const token = vonageJwt({ nbf: now() });
    emulator.setClockOffset(-60);
    expect((await listCalls(token)).status).toBe(401);
    expect(emulator.rejectedJwts()[0].reason).toBe('nbf');
    emulator.setClockOffset(0);
    expect((await listCalls(token)).status).toBe(200);
  });
});

describe('applications', () => {
  test('read live: a rotated key refuses JWTs signed with the old one', async () => {
    const applications = [{ id: app.applicationId, publicKey: app.publicKey }];
    await start({ applications });
    expect((await listCalls(vonageJwt())).status).toBe(200);
    applications[0].publicKey = other.publicKey;
    expect((await listCalls(vonageJwt())).status).toBe(401);
  });

  test('publicKey may be a KeyObject, or the private key itself', async () => {
    await start({
      applications: [
        { id: app.applicationId, publicKey: createPublicKey(app.publicKey) },
        { id: other.applicationId, publicKey: createPrivateKey(other.privateKeyPem) },
      ],
    });
    expect((await listCalls(vonageJwt())).status).toBe(200);
    expect((await listCalls(vonageJwt({ application_id: other.applicationId }, other.privateKeyPem))).status).toBe(200);
  });

  test('makeVonageApp: a UUID, an SPKI public key and a PKCS#8 private.key of RSA 2048', () => {
    const made = makeVonageApp();
    expect(made.applicationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(made.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(made.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPrivateKey(made.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(made.applicationId).not.toBe(app.applicationId);
  });

  test('a PKCS#1 public key works as well', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const id = randomUUID();
    await start({ applications: [{ id, publicKey }] });
    expect((await listCalls(vonageJwt({ application_id: id }, privateKey))).status).toBe(200);
  });
});

describe('latency and scripted faults', () => {
  test('latencyMs delays every response; setLatency changes it', async () => {
    await start({ latencyMs: 150 });
    let started = Date.now();
    await listCalls(vonageJwt());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.setLatency(0);
    started = Date.now();
    await listCalls(vonageJwt());
    expect(Date.now() - started).toBeLessThan(140);
  });

  test('fail(): scripted responses come first, in order, before the JWT check', async () => {
    await start();
    emulator.fail(
      'GET /v1/calls',
      { status: 503, body: { type: 'SERVICE_UNAVAILABLE' } },
      { status: 429, headers: { 'retry-after': '2' } },
    );
    expect(emulator.pendingFaults()).toBe(2);
    const first = await call('GET', '/v1/calls');
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ type: 'SERVICE_UNAVAILABLE' });
    const second = await call('GET', '/v1/calls');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');
    expect(second.headers.get('date')).not.toBeNull();
    expect((await listCalls(vonageJwt())).status).toBe(200);
    expect(emulator.pendingFaults()).toBe(0);
  });

  test('fail() only matches its own method and path', async () => {
    await start();
    emulator.fail('POST /v1/messages', { status: 500 });
    expect((await listCalls(vonageJwt())).status).toBe(200);
    expect(emulator.pendingFaults()).toBe(1);
  });

  test("fail() with 'reset' destroys the socket: fetch fails with a network error", async () => {
    await start();
    emulator.fail('GET /v1/calls', 'reset');
    await expect(listCalls(vonageJwt())).rejects.toThrow('fetch failed');
    expect((await listCalls(vonageJwt())).status).toBe(200);
  });

  test('fail() refuses a route that is not METHOD /path', async () => {
    await start();
    expect(() => emulator.fail('/v1/calls', { status: 500 })).toThrow(/not 'METHOD \/path'/);
  });
});

describe('recorded requests', () => {
  test('method, full path, matched route, parsed JSON body and headers of every request', async () => {
    await start();
    const token = vonageJwt();
    await listCalls(token, '?page_size=5');
    await call('POST', '/v1/messages', `Bearer ${token}`, { text: 'hi' });
    await call('GET', '/elsewhere');
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1/calls?page_size=5',
        route: 'GET /v1/calls',
        body: undefined,
      }),
      expect.objectContaining({
        method: 'POST',
        path: '/v1/messages',
        route: 'POST /v1/messages',
        body: { text: 'hi' },
      }),
      expect.objectContaining({ method: 'GET', path: '/elsewhere', route: undefined }),
    ]);
    expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${token}`);
  });

  test('a form body is recorded as an object', async () => {
    await start();
    await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two',
    });
    expect(emulator.requests[0].body).toEqual({ a: '1', b: 'two' });
  });

  test('close() may be called twice', async () => {
    await start();
    await emulator.close();
    await expect(emulator.close()).resolves.toBeUndefined();
  });
});
