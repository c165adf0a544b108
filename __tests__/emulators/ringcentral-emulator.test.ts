import {
  JWT_BEARER_GRANT,
  makeRingCentralClient,
  rateLimited,
  RC_ERRORS,
  startRingCentralEmulator,
  type RingCentralClient,
  type RingCentralEmulator,
  type RingCentralEmulatorOptions,
} from '../../test/emulators/ringcentral.ts';

const app = makeRingCentralClient({ clientId: 'AbCdEfGhIjKlMnOpQrStUv', clientSecret: 'app-secret' });
const otherApp = makeRingCentralClient();
const noJwtApp = makeRingCentralClient({ jwtFlowAllowed: false });

let emulator: RingCentralEmulator;

async function start(options: Partial<RingCentralEmulatorOptions> = {}): Promise<RingCentralEmulator> {
  emulator = await startRingCentralEmulator({ clients: [app, otherApp, noJwtApp], ...options });
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
});

const basic = (client: Pick<RingCentralClient, 'clientId' | 'clientSecret'> = app) =>
  `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;

async function parse(response: Response) {
  const text = await response.text();
  // JSON.parse's own type, so tests can reach into the body.
  let body: ReturnType<typeof JSON.parse> = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** auth null sends no Authorization header. */
async function post(path: string, form: Record<string, string>, auth: string | null = basic()) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth !== null) headers.authorization = auth;
  return parse(await fetch(emulator.url + path, { method: 'POST', headers, body: new URLSearchParams(form) }));
}

const exchange = (assertion: string, auth?: string | null) =>
  post('/restapi/oauth/token', { grant_type: JWT_BEARER_GRANT, assertion }, auth);

const revoke = (token: string, auth?: string | null) => post('/restapi/oauth/revoke', { token }, auth);

async function getExtension(accessToken: string | undefined, path = '/restapi/v1.0/account/~/extension/~') {
  const headers: Record<string, string> = {};
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  return parse(await fetch(emulator.url + path, { headers }));
}

/** Logs in with a fresh credential for userId and returns the access token. */
async function login(userId: number | string = 4001, client: RingCentralClient = app): Promise<string> {
  const response = await exchange(emulator.issueCredential({ userId }), basic(client));
  expect(response.status).toBe(200);
  return response.body.access_token;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));

describe('POST /restapi/oauth/token with the JWT-bearer grant', () => {
  beforeEach(() => start());

  test('a live credential and the right client: 200 with RingCentral’s token body', async () => {
    const response = await exchange(emulator.issueCredential({ userId: 4001 }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{60,}$/),
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{60,}$/),
      refresh_token_expires_in: 604800,
      scope: 'ReadAccounts ReadCallLog SMS',
      owner_id: '4001',
      endpoint_id: expect.any(String),
    });
  });

  test('every response carries Date, rcrequestid and RingCentral’s JSON content type', async () => {
    const response = await exchange(emulator.issueCredential({ userId: 4001 }));
    expect(Math.abs(Date.parse(response.headers.get('date')!) - Date.now())).toBeLessThan(2000);
    expect(response.headers.get('rcrequestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  test('the session is listed by liveSessions() with its user, app and lifetimes', async () => {
    const accessToken = await login(4001);
    expect(emulator.liveSessions()).toEqual([
      expect.objectContaining({
        accessToken,
        clientId: app.clientId,
        userId: '4001',
        state: 'live',
        expiresAt: new Date((emulator.serverNow() + 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }),
    ]);
  });

  test('issueCredential: an ES256 JWT naming the user, this server and its token endpoint; no exp by default', () => {
    const credential = emulator.issueCredential({ userId: 4001 });
    expect(headerOf(credential)).toEqual({ kid: expect.any(String), typ: 'JWT', alg: 'ES256' });
    expect(claimsOf(credential)).toEqual({
      aud: `${emulator.url}/restapi/oauth/token`,
      sub: '4001',
      iss: emulator.url,
      iat: expect.any(Number),
      jti: expect.any(String),
    });
    const expiring = emulator.issueCredential({ userId: 4001, expiresAt: new Date('2030-01-01T00:00:00Z') });
    expect(claimsOf(expiring).exp).toBe(1_893_456_000);
  });

  test('a credential restricted to this app is accepted', async () => {
    const credential = emulator.issueCredential({ userId: 4001, clientIds: [app.clientId] });
    expect((await exchange(credential)).status).toBe(200);
  });

  test('a credential that expires later is accepted', async () => {
    const credential = emulator.issueCredential({ userId: 4001, expiresAt: emulator.serverNow() + 60 });
    expect((await exchange(credential)).status).toBe(200);
  });
});

describe('token endpoint: client authentication', () => {
  beforeEach(() => start());

  test('no Authorization header: 401 invalid_client OAU-123 Client authentication is required', async () => {
    const response = await exchange(emulator.issueCredential({ userId: 4001 }), null);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication is required',
      errors: [{ errorCode: 'OAU-123', message: 'Client authentication is required' }],
    });
  });

  test.each([
    ['a Bearer header', 'Bearer abc'],
    ['Basic without a colon', `Basic ${Buffer.from('just-an-id').toString('base64')}`],
    ['Basic with an empty client ID', `Basic ${Buffer.from(':secret').toString('base64')}`],
  ])('%s: 400 invalid_client, Authentication header value is malformed', async (_name, auth) => {
    const response = await exchange(emulator.issueCredential({ userId: 4001 }), auth);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_client',
      error_description: 'Authentication header value is malformed',
      errors: [{ errorCode: 'OAU-123', message: 'Authentication header value is malformed' }],
    });
  });

  test('an unknown client ID: 400 invalid_client OAU-153 naming the client ID', async () => {
    const response = await exchange(
      emulator.issueCredential({ userId: 4001 }),
      basic({ clientId: 'NoSuchApp', clientSecret: 'x' }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_client',
      error_description: 'Invalid client application: [NoSuchApp]',
      errors: [
        {
          errorCode: 'OAU-153',
          message: 'Invalid client application: [NoSuchApp]',
          parameters: [{ parameterName: 'client_id', parameterValue: 'NoSuchApp' }],
        },
      ],
    });
  });

  test('a known client ID with the wrong secret: the same 400 invalid_client OAU-153', async () => {
    const response = await exchange(
      emulator.issueCredential({ userId: 4001 }),
      basic({ clientId: app.clientId, clientSecret: 'wrong' }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.invalidClient(app.clientId).body);
  });
});

describe('token endpoint: grant type and assertion', () => {
  beforeEach(() => start());

  test('no grant_type: 400 invalid_request naming the parameter', async () => {
    const response = await post('/restapi/oauth/token', { assertion: emulator.issueCredential({ userId: 1 }) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_request',
      error_description: 'Parameter [grant_type] value is invalid.',
      errors: [
        {
          errorCode: 'CMN-101',
          message: 'Parameter [grant_type] value is invalid.',
          parameters: [{ parameterName: 'grant_type' }],
        },
      ],
    });
  });

  test('a grant type RingCentral does not know: 400 unsupported_grant_type OAU-250', async () => {
    const response = await post('/restapi/oauth/token', { grant_type: 'jwt', assertion: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Unsupported grant type',
      errors: [{ errorCode: 'OAU-250', message: 'Unsupported grant type' }],
    });
  });

  test('a known grant the app does not have (password): 400 unauthorized_client OAU-251', async () => {
    const response = await post('/restapi/oauth/token', { grant_type: 'password', username: 'u', password: 'p' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'unauthorized_client',
      error_description: 'Unauthorized for this grant type',
      errors: [{ errorCode: 'OAU-251', message: 'Unauthorized for this grant type' }],
    });
  });

  test('an app whose auth settings leave out the JWT flow: 400 OAU-251 Unauthorized for this grant type', async () => {
    const response = await exchange(emulator.issueCredential({ userId: 4001 }), basic(noJwtApp));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.unauthorizedGrantType.body);
  });

  test('no assertion: 400 invalid_request naming the parameter', async () => {
    const response = await post('/restapi/oauth/token', { grant_type: JWT_BEARER_GRANT });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.missingParameter('assertion').body);
    expect(response.body.errors[0].message).toBe('Parameter [assertion] value is invalid.');
  });

  test('an assertion that is not a JWT: 400 OAU-250', async () => {
    const response = await exchange('not-a-jwt');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.unsupportedGrantType.body);
  });

  test('a credential from another environment (another emulator’s key): 400 OAU-250', async () => {
    const sandbox = await startRingCentralEmulator({ clients: [app] });
    const foreign = sandbox.issueCredential({ userId: 4001 });
    await sandbox.close();
    const response = await exchange(foreign);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.unsupportedGrantType.body);
  });

  test('a credential whose claims were altered: 400 OAU-250', async () => {
    const [header, , signature] = emulator.issueCredential({ userId: 4001 }).split('.');
    const claims = { ...claimsOf(emulator.issueCredential({ userId: 4001 })), sub: '9999' };
    const altered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const response = await exchange(altered);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].errorCode).toBe('OAU-250');
  });

  test('a revoked credential: 400 invalid_grant OAU-213 Token not found', async () => {
    const credential = emulator.issueCredential({ userId: 4001 });
    emulator.revokeCredential(credential);
    const response = await exchange(credential);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Token not found',
      errors: [{ errorCode: 'OAU-213', message: 'Token not found' }],
    });
  });

  test('an expired credential: 400 invalid_grant OAU-210 Token expired', async () => {
    const credential = emulator.issueCredential({ userId: 4001, expiresAt: emulator.serverNow() - 1 });
    const response = await exchange(credential);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Token expired',
      errors: [{ errorCode: 'OAU-210', message: 'Token expired' }],
    });
  });

  test('a credential restricted to other apps: 401 invalid_grant OAU-121 Wrong Application', async () => {
    const credential = emulator.issueCredential({ userId: 4001, clientIds: [otherApp.clientId] });
    const response = await exchange(credential);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Wrong Application',
      errors: [{ errorCode: 'OAU-121', message: 'Wrong Application' }],
    });
  });

  test('revokeCredential() refuses a credential this emulator did not issue', () => {
    expect(() => emulator.revokeCredential('a.b.c')).toThrow('did not issue');
  });
});

describe('the session limit per user and app', () => {
  test('a sixth login ends the oldest of five sessions, whose token then gets 401 Token not found', async () => {
    await start();
    const tokens = [];
    for (let i = 0; i < 6; i++) tokens.push(await login(4001));
    expect(emulator.liveSessions().map((s) => s.accessToken)).toEqual(tokens.slice(1));
    expect(emulator.sessions()[0].state).toBe('evicted');
    const response = await getExtension(tokens[0]);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(RC_ERRORS.tokenNotFound.body);
    expect((await getExtension(tokens[1])).status).toBe(200);
  });

  test('sessionLimit sets the number of parallel sessions', async () => {
    await start({ sessionLimit: 2 });
    const first = await login(4001);
    await login(4001);
    await login(4001);
    expect(emulator.liveSessions()).toHaveLength(2);
    expect((await getExtension(first)).status).toBe(401);
  });

  test('sessions are counted per user and per app', async () => {
    await start({ sessionLimit: 1 });
    const mine = await login(4001, app);
    await login(4002, app);
    await login(4001, otherApp);
    expect((await getExtension(mine)).status).toBe(200);
    expect(emulator.liveSessions()).toHaveLength(3);
  });

  test("sessionLimitMode 'reject': a login past the limit gets 429 CMN-301 with Retry-After", async () => {
    await start({ sessionLimit: 1, sessionLimitMode: 'reject' });
    const first = await login(4001);
    const response = await exchange(emulator.issueCredential({ userId: 4001 }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(response.body).toEqual({
      errorCode: 'CMN-301',
      message: 'Request rate exceeded',
      errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }],
    });
    expect((await getExtension(first)).status).toBe(200);
  });

  test('revoking a token frees its slot: no session is evicted by the next login', async () => {
    await start({ sessionLimit: 1 });
    const first = await login(4001);
    await revoke(first);
    const second = await login(4001);
    expect(emulator.liveSessions().map((s) => s.accessToken)).toEqual([second]);
    expect(emulator.sessions().map((s) => s.state)).toEqual(['revoked', 'live']);
  });

  test('an expired session does not count', async () => {
    await start({ sessionLimit: 1 });
    const first = await login(4001);
    emulator.expireAccessToken(first);
    await login(4001);
    expect(emulator.sessions().map((s) => s.state)).toEqual(['expired', 'live']);
  });
});

describe('the refresh grant', () => {
  beforeEach(() => start());

  test('a refresh token gives new tokens and ends the old access token, in the same session slot', async () => {
    const first = await exchange(emulator.issueCredential({ userId: 4001 }));
    const response = await post('/restapi/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
    });
    expect(response.status).toBe(200);
    expect(response.body.access_token).not.toBe(first.body.access_token);
    expect((await getExtension(first.body.access_token)).body).toEqual(RC_ERRORS.tokenNotFound.body);
    expect(emulator.liveSessions().map((s) => s.accessToken)).toEqual([response.body.access_token]);
  });

  test('a used refresh token: 400 invalid_grant OAU-213', async () => {
    const first = await exchange(emulator.issueCredential({ userId: 4001 }));
    const form = { grant_type: 'refresh_token', refresh_token: first.body.refresh_token };
    await post('/restapi/oauth/token', form);
    const response = await post('/restapi/oauth/token', form);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.credentialRevoked.body);
  });
});

describe('POST /restapi/oauth/revoke', () => {
  beforeEach(() => start());

  test('revoking an access token: 200 with an empty body, then the token gets 401 Token not found', async () => {
    const accessToken = await login(4001);
    const response = await revoke(accessToken);
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers.get('date')).not.toBeNull();
    const after = await getExtension(accessToken);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({
      errorCode: 'TokenInvalid',
      message: 'Token not found',
      errors: [{ errorCode: 'OAU-213', message: 'Token not found' }],
    });
  });

  test('revoking by the refresh token ends the session too', async () => {
    const tokens = await exchange(emulator.issueCredential({ userId: 4001 }));
    expect((await revoke(tokens.body.refresh_token)).status).toBe(200);
    expect((await getExtension(tokens.body.access_token)).status).toBe(401);
  });

  test('the token may be a query parameter', async () => {
    const accessToken = await login(4001);
    const response = await post(`/restapi/oauth/revoke?token=${encodeURIComponent(accessToken)}`, {});
    expect(response.status).toBe(200);
    expect(emulator.liveSessions()).toEqual([]);
  });

  test('an unknown token: 200 all the same', async () => {
    const response = await revoke('no-such-token');
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  test('another app’s token: 200, and the token keeps working', async () => {
    const accessToken = await login(4001, otherApp);
    expect((await revoke(accessToken, basic(app))).status).toBe(200);
    expect((await getExtension(accessToken)).status).toBe(200);
  });

  test('no client authentication: 401 OAU-123, nothing revoked', async () => {
    const accessToken = await login(4001);
    const response = await revoke(accessToken, null);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(RC_ERRORS.clientAuthRequired.body);
    expect((await getExtension(accessToken)).status).toBe(200);
  });

  test('no token parameter: 400 invalid_request naming it', async () => {
    const response = await post('/restapi/oauth/revoke', {});
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.missingParameter('token').body);
  });
});

describe('GET /restapi/v1.0/account/~/extension/~', () => {
  beforeEach(() => start());

  test('a live access token: 200 with the user’s extension', async () => {
    const accessToken = await login(4001);
    const response = await getExtension(accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 4001,
      uri: expect.stringMatching(new RegExp(`^${emulator.url}/restapi/v1.0/account/\\d+/extension/4001$`)),
      type: 'User',
      status: 'Enabled',
      account: { id: emulator.liveSessions()[0].accountId },
    });
  });

  test('the account and extension may be named by id, and the access token passed as a query parameter', async () => {
    const credential = emulator.issueCredential({ userId: 4001, accountId: 37439510 });
    const { access_token: accessToken } = (await exchange(credential)).body;
    const path = `/restapi/v1.0/account/37439510/extension/4001?access_token=${encodeURIComponent(accessToken)}`;
    expect((await getExtension(undefined, path)).status).toBe(200);
  });

  test('another user’s extension: 404 CMN-102', async () => {
    const response = await getExtension(await login(4001), '/restapi/v1.0/account/~/extension/4002');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      errorCode: 'CMN-102',
      message: 'Resource for parameter [extensionId] is not found',
      errors: [{ errorCode: 'CMN-102', message: 'Resource for parameter [extensionId] is not found' }],
    });
  });

  test('no Authorization header: 401 AGW-401 Authorization header is not specified', async () => {
    const response = await getExtension(undefined);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ errorCode: 'AGW-401', message: 'Authorization header is not specified' });
  });

  test('a token the server never issued (here the JWT credential itself): 401 TokenInvalid OAU-149', async () => {
    const response = await getExtension(emulator.issueCredential({ userId: 4001 }));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errorCode: 'TokenInvalid',
      message: 'OAuth token is invalid',
      errors: [{ errorCode: 'OAU-149', message: 'OAuth token is invalid' }],
    });
  });

  test('an expired access token: 401 TokenExpired', async () => {
    const accessToken = await login(4001);
    emulator.expireAccessToken(accessToken);
    const response = await getExtension(accessToken);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errorCode: 'TokenExpired',
      message: 'Access token expired',
      errors: [{ errorCode: 'OAU-128', message: 'Access token expired' }],
    });
  });

  test('a scheme other than Bearer: 401 OAU-151 Authorization method not supported', async () => {
    const response = await parse(
      await fetch(`${emulator.url}/restapi/v1.0/account/~/extension/~`, { headers: { authorization: basic() } }),
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual(RC_ERRORS.authorizationMethodNotSupported.body);
  });

  test('an unknown path: 404 CMN-120 Invalid URI', async () => {
    const response = await getExtension(await login(4001), '/restapi/v1.0/nowhere');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      errorCode: 'CMN-120',
      message: 'Invalid URI',
      errors: [{ errorCode: 'CMN-120', message: 'Invalid URI' }],
    });
  });

  test('expireAccessToken() refuses a token the emulator never issued', () => {
    expect(() => emulator.expireAccessToken('nope')).toThrow('never issued');
  });
});

describe('the server clock', () => {
  test('clockOffsetSeconds moves the Date header and the token lifetimes', async () => {
    await start({ clockOffsetSeconds: -600 });
    const response = await exchange(emulator.issueCredential({ userId: 4001 }));
    expect(Math.abs(Date.parse(response.headers.get('date')!) - (Date.now() - 600_000))).toBeLessThan(2000);
    expect(Math.abs(emulator.serverNow() - (Math.floor(Date.now() / 1000) - 600))).toBeLessThanOrEqual(1);
    expect(Date.parse(emulator.liveSessions()[0].expiresAt) / 1000).toBeCloseTo(emulator.serverNow() + 3600, -1);
  });

  test('setClockOffset past the hour: the access token has expired', async () => {
    await start();
    const accessToken = await login(4001);
    emulator.setClockOffset(3601);
    expect((await getExtension(accessToken)).body.errorCode).toBe('TokenExpired');
    expect(emulator.liveSessions()).toEqual([]);
  });

  test('setClockOffset past a credential’s expiry: 400 OAU-210', async () => {
    await start();
    const credential = emulator.issueCredential({ userId: 4001, expiresAt: emulator.serverNow() + 60 });
    emulator.setClockOffset(120);
    expect((await exchange(credential)).body.errors[0].errorCode).toBe('OAU-210');
  });
});

describe('latency and scripted faults', () => {
  test('latencyMs delays every response; setLatency changes it', async () => {
    await start({ latencyMs: 150 });
    let started = Date.now();
    await getExtension(undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.setLatency(0);
    started = Date.now();
    await getExtension(undefined);
    expect(Date.now() - started).toBeLessThan(140);
  });

  test('rateLimited(): RingCentral’s 429 with Retry-After, served once, then normal handling', async () => {
    await start();
    emulator.fail('POST /restapi/oauth/token', rateLimited(30));
    const credential = emulator.issueCredential({ userId: 4001 });
    const limited = await exchange(credential);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-rate-limit-group')).toBe('auth');
    expect(limited.body).toEqual(RC_ERRORS.rateLimited.body);
    expect((await exchange(credential)).status).toBe(200);
  });

  test('fail(): scripted responses come first, in order, for their route only', async () => {
    await start();
    emulator.fail('POST /restapi/oauth/revoke', { status: 503 }, { status: 500, body: 'oops' });
    expect(emulator.pendingFaults()).toBe(2);
    expect((await getExtension(undefined)).status).toBe(401);
    expect((await revoke('x')).status).toBe(503);
    const second = await revoke('x');
    expect(second.status).toBe(500);
    expect(second.text).toBe('oops');
    expect((await revoke('x')).status).toBe(200);
    expect(emulator.pendingFaults()).toBe(0);
  });

  test("fail() with 'reset' destroys the socket: fetch fails with a network error", async () => {
    await start();
    emulator.fail('POST /restapi/oauth/token', 'reset');
    await expect(exchange(emulator.issueCredential({ userId: 4001 }))).rejects.toThrow('fetch failed');
    expect((await exchange(emulator.issueCredential({ userId: 4001 }))).status).toBe(200);
  });

  test('fail() refuses a route that is not METHOD /path', async () => {
    await start();
    expect(() => emulator.fail('/restapi/oauth/token', 'reset')).toThrow("is not 'METHOD /path'");
  });
});

describe('recorded requests', () => {
  test('method, full path, matched route, parsed form or JSON body and headers of every request', async () => {
    await start();
    const credential = emulator.issueCredential({ userId: 4001 });
    await exchange(credential);
    await fetch(`${emulator.url}/restapi/v1.0/account/~/extension/~?x=1`, {
      method: 'GET',
      headers: { authorization: 'Bearer t' },
    });
    await fetch(`${emulator.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"password"}',
    });
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/restapi/oauth/token',
        route: 'POST /restapi/oauth/token',
        body: { grant_type: JWT_BEARER_GRANT, assertion: credential },
      }),
      expect.objectContaining({
        method: 'GET',
        path: '/restapi/v1.0/account/~/extension/~?x=1',
        route: 'GET /restapi/v1.0/account/:accountId/extension/:extensionId',
        body: undefined,
      }),
      expect.objectContaining({ body: { grant_type: 'password' } }),
    ]);
    expect(emulator.requests[0].headers.authorization).toBe(basic());
  });

  test('a JSON body is not read as a form: the token endpoint sees no grant_type', async () => {
    await start();
    const response = await parse(
      await fetch(`${emulator.url}/restapi/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic() },
        body: JSON.stringify({ grant_type: JWT_BEARER_GRANT, assertion: emulator.issueCredential({ userId: 1 }) }),
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual(RC_ERRORS.missingParameter('grant_type').body);
  });

  test('makeRingCentralClient: a 22-character client ID, a secret and the JWT flow on', () => {
    const client = makeRingCentralClient();
    expect(client.clientId).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(client.clientSecret).toMatch(/^[A-Za-z0-9]{44}$/);
    expect(client.jwtFlowAllowed).toBe(true);
  });

  test('close() may be called twice', async () => {
    await start();
    await emulator.close();
    await expect(emulator.close()).resolves.toBeUndefined();
  });
});
