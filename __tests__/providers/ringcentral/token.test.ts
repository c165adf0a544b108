// The RingCentral OAuth calls against the RingCentral emulator, over real sockets, through the action's
// transport (@actions/http-client and the retry loop); only the retry waits are skipped.
import { createClock } from '../../../src/clock.js';
import { createTransport } from '../../../src/http/transport.js';
import { RINGCENTRAL_SANDBOX, type RingCentralClient } from '../../../src/providers/ringcentral/settings.js';
import {
  describeTokenFailure,
  exchangeRingCentralCredential,
  revokeRingCentralToken,
  RingCentralError,
} from '../../../src/providers/ringcentral/token.js';
import { headerLookup } from '../../../src/http/response.js';
import {
  JWT_BEARER_GRANT,
  makeRingCentralClient,
  rateLimited,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../../../test/emulators/ringcentral.ts';

const app = makeRingCentralClient();
const noJwtApp = makeRingCentralClient({ jwtFlowAllowed: false });
let rc: RingCentralEmulator;
let other: RingCentralEmulator;
let waits: number[];

beforeAll(async () => {
  [rc, other] = await Promise.all([
    startRingCentralEmulator({ clients: [app, noJwtApp] }),
    startRingCentralEmulator({ clients: [app] }),
  ]);
});
afterAll(() => Promise.all([rc.close(), other.close()]));
beforeEach(() => {
  waits = [];
  rc.requests.length = 0;
});

const transport = () =>
  createTransport({
    retry: {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    },
  });
const client = (overrides: Partial<RingCentralClient> = {}): RingCentralClient => ({
  serverUrl: rc.url,
  clientId: app.clientId,
  clientSecret: app.clientSecret,
  ...overrides,
});
const exchange = (credential: string, c = client(), clock = createClock()) =>
  exchangeRingCentralCredential(transport(), c, credential, clock);

async function failureOf(promise: Promise<unknown>): Promise<RingCentralError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RingCentralError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('the JWT-bearer login', () => {
  test('posts the credential as the JWT-bearer grant with the app as HTTP Basic, and gives the access token', async () => {
    const credential = rc.issueCredential({ userId: 101 });
    const clock = createClock();
    const credentials = await exchange(credential, client(), clock);
    const [session] = rc.liveSessions();
    expect(rc.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/restapi/oauth/token',
        body: { grant_type: JWT_BEARER_GRANT, assertion: credential },
        headers: expect.objectContaining({
          authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        }),
      }),
    ]);
    expect(credentials.token).toBe(session.accessToken);
    expect(credentials.tokenType).toBe('access');
    expect(credentials.secrets).toEqual([session.accessToken, session.refreshToken]);
    expect(credentials.outputs).toEqual({});
    const expiresIn = (credentials.expiresAt.getTime() - clock.now() * 1000) / 1000;
    expect(expiresIn).toBeGreaterThanOrEqual(3599);
    expect(expiresIn).toBeLessThanOrEqual(3600);
    expect(credentials.summary).toEqual([
      ['Provider', 'RingCentral'],
      ['Server', rc.url],
      ['App (client ID)', app.clientId],
      ['Token expires', credentials.expiresAt.toISOString()],
    ]);
    expect(JSON.stringify(credentials.summary)).not.toContain(session.accessToken);
  });

  test('the expiry is counted by the clock the action signs by, offset included', async () => {
    const clock = createClock(() => Date.parse('2030-01-01T00:00:00Z'));
    clock.setOffsetSeconds(-100);
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { access_token: 'at', expires_in: 600 } });
    const credentials = await exchange('a.b.c', client(), clock);
    expect(credentials.expiresAt.toISOString()).toBe('2030-01-01T00:08:20.000Z');
    expect(credentials.secrets).toEqual(['at']);
  });

  test('an answer without expires_in is taken to last an hour', async () => {
    const clock = createClock(() => Date.parse('2030-01-01T00:00:00Z'));
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { access_token: 'at' } });
    expect((await exchange('a.b.c', client(), clock)).expiresAt.toISOString()).toBe('2030-01-01T01:00:00.000Z');
  });

  test('a 200 without an access_token is an error that names the field and the server', async () => {
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { token_type: 'bearer' } });
    expect((await failureOf(exchange('a.b.c'))).message).toBe(
      `RingCentral (${rc.url}) answered the login with 200 and no access_token: the action cannot use that answer. If server-url is a proxy or another service, point it at RingCentral's API server.`,
    );
    expect(rc.requests.map((r) => r.path)).toEqual(['/restapi/oauth/token']);
  });

  test('expires_in as a string of digits is read as seconds', async () => {
    const clock = createClock(() => Date.parse('2030-01-01T00:00:00Z'));
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { access_token: 'at', expires_in: '1800' } });
    expect((await exchange('a.b.c', client(), clock)).expiresAt.toISOString()).toBe('2030-01-01T00:30:00.000Z');
  });
});

describe('a 200 the action cannot use fails, naming the field; a token it carried is masked and revoked', () => {
  const masked: string[] = [];
  beforeEach(() => {
    masked.length = 0;
  });
  const exchangeMasking = () =>
    exchangeRingCentralCredential(transport(), client(), 'a.b.c', createClock(), (secret) => masked.push(secret));

  test.each([
    ['a text body', 'access_token=at', 'a body that is not a JSON object (15 characters of text)'],
    ['an empty body', '', 'a body that is not a JSON object (an empty body)'],
    ['a JSON list', ['at'], 'a body that is not a JSON object (JSON, but not an object)'],
    [
      'an access_token that is a number',
      { access_token: 12345, expires_in: 3600 },
      'an access_token that is number, not a string',
    ],
    ['an access_token that is null', { access_token: null }, 'no access_token'],
  ])('%s: nothing to revoke', async (_what, body, problem) => {
    rc.fail('POST /restapi/oauth/token', { status: 200, body });
    const error = await failureOf(exchangeMasking());
    expect(error.message).toBe(
      `RingCentral (${rc.url}) answered the login with 200 and ${problem}: the action cannot use that answer. If server-url is a proxy or another service, point it at RingCentral's API server.`,
    );
    expect(masked).toEqual([]);
    expect(rc.requests.map((r) => r.path)).toEqual(['/restapi/oauth/token']);
  });

  test.each([
    ['expires_in that is not a number', { expires_in: 'soon' }, "expires_in 'soon', which is not a number of seconds"],
    ['expires_in that is a list', { expires_in: [3600] }, 'expires_in as a list, which is not a number of seconds'],
    ['expires_in that is true', { expires_in: true }, 'expires_in as boolean, which is not a number of seconds'],
    ['expires_in of 0', { expires_in: 0 }, 'expires_in 0: the token was expired when it was issued'],
    ['a negative expires_in', { expires_in: -60 }, 'expires_in -60: the token was expired when it was issued'],
    [
      'an expires_in of years',
      { expires_in: 1e9 },
      'expires_in 1000000000 seconds, more than the week any RingCentral access token lives',
    ],
    [
      'an access_token with a line break',
      { access_token: 'at\n::stop-commands::x' },
      'an access_token with spaces, line breaks or characters outside printable ASCII',
    ],
  ])('%s: the token is masked, then revoked', async (_what, fields, problem) => {
    const body = { access_token: 'the-access-token', refresh_token: 'the-refresh-token', ...fields };
    rc.fail('POST /restapi/oauth/token', { status: 200, body });
    const error = await failureOf(exchangeMasking());
    expect(error.message).toBe(
      `RingCentral (${rc.url}) answered the login with 200 and ${problem}: the action cannot use that answer. The token it carried has been revoked. If server-url is a proxy or another service, point it at RingCentral's API server.`,
    );
    expect(masked).toEqual([body.access_token, 'the-refresh-token']);
    expect(rc.requests.map((r) => [r.path, r.body])).toEqual([
      ['/restapi/oauth/token', expect.anything()],
      ['/restapi/oauth/revoke', { token: body.access_token }],
    ]);
    expect(error.message).not.toContain(body.access_token);
  });

  test('a revoke that fails too is said, with the token left to expire', async () => {
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { access_token: 'the-access-token', expires_in: 'x' } });
    rc.fail('POST /restapi/oauth/revoke', { status: 400, body: { error: 'invalid_request', error_description: 'no' } });
    const error = await failureOf(exchangeMasking());
    expect(error.message).toMatch(
      /and expires_in 'x', which is not a number of seconds: the action cannot use that answer\. Revoking the token it carried failed too \(RingCentral answered 400 invalid_request \(no\) to the revoke request\); it expires by itself\./,
    );
    expect(masked).toEqual(['the-access-token']);
  });
});

describe('a refused login says why, and what to do', () => {
  test('a wrong client secret (OAU-153): the app is not on that server, or the secret is wrong', async () => {
    const credential = rc.issueCredential({ userId: 1 });
    const error = await failureOf(exchange(credential, client({ clientSecret: 'wrong-secret-value' })));
    expect(error.message).toBe(
      `RingCentral refused the app's credentials (400 OAU-153: Invalid client application: [${app.clientId}]): client-id '${app.clientId}' is not an app on ${rc.url}, or client-secret is not its secret. Copy both from the app's Credentials page in the RingCentral developer console; a sandbox app's credentials work only with server-url: ${RINGCENTRAL_SANDBOX}.`,
    );
    expect(error.message).not.toContain('wrong-secret-value');
    expect(error.message).not.toContain(credential);
  });

  test('a malformed client authentication (OAU-123) is told the same way', async () => {
    const error = await failureOf(exchange(rc.issueCredential({ userId: 1 }), client({ clientId: '' })));
    expect(error.message).toMatch(
      /^RingCentral refused the app's credentials \(400 OAU-123: Authentication header value is malformed\)/,
    );
  });

  test('an app without the JWT flow (OAU-251): enable it in the console', async () => {
    const error = await failureOf(
      exchange(
        rc.issueCredential({ userId: 1 }),
        client({ clientId: noJwtApp.clientId, clientSecret: noJwtApp.clientSecret }),
      ),
    );
    expect(error.message).toBe(
      `The app '${noJwtApp.clientId}' may not use the JWT flow (400 OAU-251: Unauthorized for this grant type). In the RingCentral developer console, open the app's Settings > Auth and enable "JWT auth flow".`,
    );
  });

  test("a credential of another environment (OAU-250): sandbox and production credentials don't mix", async () => {
    const error = await failureOf(exchange(other.issueCredential({ userId: 1 })));
    expect(error.message).toMatch(
      new RegExp(
        `^RingCentral could not use the JWT credential \\(400 OAU-250: Unsupported grant type\\): it is not a JWT credential of ${rc.url}\\. A credential made for the sandbox`,
      ),
    );
  });

  test('a revoked credential (OAU-213): create a new one', async () => {
    const credential = rc.issueCredential({ userId: 1 });
    rc.revokeCredential(credential);
    expect((await failureOf(exchange(credential))).message).toBe(
      'The JWT credential has been revoked (400 OAU-213: Token not found). Create a new one in the RingCentral developer console (Credentials > JWT) and update the secret.',
    );
  });

  test('an expired credential (OAU-210): create one with a later expiry', async () => {
    const credential = rc.issueCredential({ userId: 1, expiresAt: Math.floor(Date.now() / 1000) - 10 });
    expect((await failureOf(exchange(credential))).message).toMatch(
      /^The JWT credential has expired \(400 OAU-210: Token expired\)\. Create a new one .*with a later expiry or none/,
    );
  });

  test('a credential for other apps (OAU-121): create one for this app', async () => {
    const credential = rc.issueCredential({ userId: 1, clientIds: [noJwtApp.clientId] });
    expect((await failureOf(exchange(credential))).message).toBe(
      `The JWT credential is not allowed for app '${app.clientId}' (401 OAU-121: Wrong Application). In the RingCentral developer console, create a credential for this app (or for any app), and update the secret.`,
    );
  });

  test('a rate limit (CMN-301) is retried after the wait RingCentral asks for, then explained', async () => {
    rc.fail('POST /restapi/oauth/token', ...Array.from({ length: 4 }, () => rateLimited(2)));
    const error = await failureOf(exchange(rc.issueCredential({ userId: 1 })));
    expect(rc.requests).toHaveLength(4);
    expect(waits).toEqual([2000, 2000, 2000]);
    expect(error.message).toBe(
      'RingCentral kept answering that the request rate is exceeded (429 CMN-301: Request rate exceeded) after retrying. Another job may be logging in with the same credential; run this one again later.',
    );
  });

  test('a rate limit that clears is waited out and the login goes through', async () => {
    rc.fail('POST /restapi/oauth/token', rateLimited(1));
    const credentials = await exchange(rc.issueCredential({ userId: 2 }));
    expect(waits).toEqual([1000]);
    expect(credentials.token).toBe(rc.liveSessions().at(-1)!.accessToken);
  });

  test('a 429 with no code: the parallel-session limit, the status said once', async () => {
    rc.fail('POST /restapi/oauth/token', ...Array.from({ length: 4 }, () => ({ status: 429, body: {} })));
    expect((await failureOf(exchange('a.b.c'))).message).toMatch(
      /^RingCentral kept refusing logins for now \(429\): past the user's limit of parallel sessions it answers 429\. Revoke unused sessions/,
    );
  });

  test('server errors are retried with backoff, then reported as a possible incident', async () => {
    rc.fail(
      'POST /restapi/oauth/token',
      ...Array.from({ length: 4 }, () => ({ status: 503, body: 'Service Unavailable' })),
    );
    const error = await failureOf(exchange('a.b.c'));
    expect(rc.requests).toHaveLength(4);
    expect(waits).toEqual([500, 1000, 2000]);
    expect(error.message).toBe(
      'RingCentral kept answering with a server error after retrying (503: Service Unavailable); its service may be having an incident. Run the job again later.',
    );
  });

  test('a credential RingCentral finds invalid (CMN-101 on assertion): copy it again', async () => {
    expect((await failureOf(exchange(''))).message).toBe(
      'RingCentral did not accept the JWT credential (400 CMN-101: Parameter [assertion] value is invalid.). Copy the whole credential again from the RingCentral developer console (Credentials > JWT) into the secret.',
    );
  });

  test('any other refusal keeps the code and text', async () => {
    rc.fail('POST /restapi/oauth/token', { status: 400, body: { errorCode: 'XYZ-123', message: 'Something new' } });
    expect((await failureOf(exchange('a.b.c'))).message).toBe(
      'RingCentral refused the login (400 XYZ-123: Something new).',
    );
  });
});

describe('describeTokenFailure reads both of RingCentral’s body shapes', () => {
  const answer = (status: number, body: unknown) => ({ status, headers: headerLookup({}), body });
  const c = { serverUrl: 'https://platform.ringcentral.com', clientId: 'id', clientSecret: 'secret' };
  test.each([
    [
      'OAuth: error and error_description, with an unknown error',
      { error: 'slow_down', error_description: 'Wait' },
      '(400 slow_down: Wait)',
    ],
    [
      'API: errorCode and message',
      { errorCode: 'CMN-102', message: 'Resource not found' },
      '(400 CMN-102: Resource not found)',
    ],
    [
      'API: the first of errors',
      { errors: [{ errorCode: 'CMN-100', message: 'First' }, { errorCode: 'CMN-101' }] },
      '(400 CMN-100: First)',
    ],
    ['no body: the status, once', '', '(400)'],
    ['a text body, cut at 200 characters', 'x'.repeat(300), `(400: ${'x'.repeat(200)}…)`],
    ['a text that repeats the status', 'HTTP 400: Bad Request', '(400: Bad Request)'],
    ['a text that is only the status', '400', '(400)'],
  ])('%s', (_what, body, raw) => {
    expect(describeTokenFailure(answer(400, body), c)).toBe(`RingCentral refused the login ${raw}.`);
  });

  // RingCentral's error-code table (developers.ringcentral.com/guide/basics/errors), as a JWT login meets it.
  test.each([
    [
      'OAU-146',
      401,
      'Invalid client credentials',
      /^RingCentral refused the app's credentials \(401 OAU-146: Invalid client credentials\): client-id 'id' is not an app on https:\/\/platform\.ringcentral\.com, or client-secret is not its secret/,
    ],
    ['OAU-120', 401, 'Wrong Application ID', /^RingCentral refused the app's credentials \(401 OAU-120/],
    ['OAU-134', 401, 'Invalid Authorization header.', /^RingCentral refused the app's credentials \(401 OAU-134/],
    ['OAU-151', 401, 'Authorization method not supported', /^RingCentral refused the app's credentials/],
    [
      'OAU-112',
      403,
      'The client is unauthorized for the required grant type',
      /^The app 'id' may not use the JWT flow \(403 OAU-112.*enable "JWT auth flow"/,
    ],
    ['OAU-125', 401, 'Grant type is not allowed for application.', /^The app 'id' may not use the JWT flow/],
    [
      'OAU-140',
      401,
      'Invalid resource owner credentials.',
      /^RingCentral did not accept the JWT credential as a user's login .*Copy it again/,
    ],
    ['OAU-149', 401, 'Unparsable access token', /^RingCentral could not read the JWT credential/],
    [
      'OAU-127',
      401,
      'Invalid application release.',
      /^The app 'id' is not released on https:\/\/platform\.ringcentral\.com .*platform\.devtest/,
    ],
    [
      'OAU-116',
      403,
      'Invalid authorization method',
      /^RingCentral does not let the app 'id' authenticate with a client secret/,
    ],
    [
      'OAU-105',
      403,
      'Login for Department extension is not allowed.',
      /^The user of the JWT credential may not log in .*department/,
    ],
    ['OAU-119', 403, 'International Virtual number cannot be used to login', /international virtual number/],
    ['OAU-136', 401, 'Extension not found.', /^The user the JWT credential logs in as no longer exists/],
    [
      'OAU-141',
      401,
      'Login for extension in current state is not allowed.',
      /^The user of the JWT credential may not log in in their current state/,
    ],
    [
      'OAU-142',
      401,
      'Login to account in current state is not allowed.',
      /^The RingCentral account may not log in in its current state/,
    ],
    [
      'OAU-147',
      400,
      'The account is locked out',
      /^The RingCentral account is locked out after too many failed logins .*Wait for the lock/,
    ],
    ['OAU-148', 400, 'The account is locked out', /single sign-on/],
    [
      'OAU-111',
      400,
      'Request parameter duplication detected',
      /^RingCentral found a parameter twice .*Please report this/,
    ],
    [
      'CMN-302',
      429,
      'Request rate exceeded',
      /^RingCentral kept answering that the request rate is exceeded \(429 CMN-302/,
    ],
    ['CMN-304', 429, 'Duplicate concurrent request. Try again later', /request rate is exceeded/],
    ['CMN-310', 429, 'Global request rate exceeded', /request rate is exceeded/],
  ])('%s (%d): the cause and the fix', (code, status, message, expected) => {
    const described = describeTokenFailure(
      answer(status, { errorCode: code, message, errors: [{ errorCode: code, message }] }),
      c,
    );
    expect(described).toMatch(expected);
    expect(described).toContain(`(${status} ${code}: ${message})`);
  });

  test.each([
    [
      'invalid_client',
      401,
      /^RingCentral refused the app's credentials \(401 invalid_client: nope\): client-id 'id'.*client-secret is not its secret/,
    ],
    [
      'invalid_grant',
      400,
      /^RingCentral refused the JWT credential \(400 invalid_grant: nope\): it has expired or been revoked, it is for another app, or it was made on another server/,
    ],
    ['unauthorized_client', 400, /^The app 'id' may not use the JWT flow \(400 unauthorized_client: nope\)/],
    [
      'unsupported_grant_type',
      400,
      /^RingCentral could not use the JWT credential \(400 unsupported_grant_type: nope\): it is not a JWT credential of/,
    ],
    ['access_denied', 403, /^RingCentral denied the login \(403 access_denied: nope\)/],
    [
      'invalid_request',
      400,
      /^RingCentral found the login request malformed \(400 invalid_request: nope\)\. Please report this/,
    ],
  ])('no RingCentral code, OAuth error %s: told from the standard field', (error, status, expected) => {
    expect(describeTokenFailure(answer(status, { error, error_description: 'nope' }), c)).toMatch(expected);
  });

  test("a code the table does not have falls back on the OAuth field, and keeps RingCentral's code", () => {
    expect(
      describeTokenFailure(answer(401, { error: 'invalid_client', errorCode: 'OAU-999', message: 'New' }), c),
    ).toMatch(/^RingCentral refused the app's credentials \(401 OAU-999: New\)/);
  });

  test('a 401 with no code at all: the client authentication, as RFC 6749 has it', () => {
    expect(describeTokenFailure(answer(401, ''), c)).toMatch(/^RingCentral refused the app's credentials \(401\)/);
  });

  test('server text cannot break the line or pose as a code: line breaks, control characters and odd codes go', () => {
    const described = describeTokenFailure(
      answer(400, {
        errorCode: '::add-mask::x',
        error: 'Bad\nCode',
        error_description: 'Token expired\r\n::stop-commands::pwned\u001b[8m hidden',
      }),
      c,
    );
    expect(described).toBe('RingCentral refused the login (400: Token expired ::stop-commands::pwned [8m hidden).');
    expect(described).not.toMatch(/[\r\n]/);
    expect(described).not.toContain('\u001b');
  });
});

describe('the revoke', () => {
  test('posts the token with the app as HTTP Basic; the session ends', async () => {
    const { token } = await exchange(rc.issueCredential({ userId: 7 }));
    rc.requests.length = 0;
    expect(await revokeRingCentralToken(transport(), client(), token)).toBe(
      'Revoked the RingCentral access token; its session has ended.',
    );
    expect(rc.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/restapi/oauth/revoke',
        body: { token },
        headers: expect.objectContaining({
          authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        }),
      }),
    ]);
    expect(rc.sessions().find((s) => s.accessToken === token)?.state).toBe('revoked');
  });

  test('a 204 is a revoke too', async () => {
    rc.fail('POST /restapi/oauth/revoke', { status: 204 });
    expect(await revokeRingCentralToken(transport(), client(), 'at')).toMatch(/^Revoked/);
  });

  test('a refused revoke is an error with the status, code and text, never the token', async () => {
    const error = await failureOf(
      revokeRingCentralToken(transport(), client({ clientSecret: 'nope' }), 'the-access-token'),
    );
    expect(error.message).toBe(
      `RingCentral answered 400 OAU-153 (Invalid client application: [${app.clientId}]) to the revoke request`,
    );
    expect(error.message).not.toContain('the-access-token');
  });

  test('a refusal with neither code nor text gives the status once', async () => {
    rc.fail(
      'POST /restapi/oauth/revoke',
      { status: 500, body: '' },
      { status: 500, body: '' },
      { status: 500, body: '' },
      { status: 500, body: '' },
    );
    expect((await failureOf(revokeRingCentralToken(transport(), client(), 'at'))).message).toBe(
      'RingCentral answered 500 to the revoke request',
    );
  });

  test('a refusal without a text gives the code alone', async () => {
    rc.fail('POST /restapi/oauth/revoke', { status: 401, body: { errorCode: 'OAU-123' } });
    expect((await failureOf(revokeRingCentralToken(transport(), client(), 'at'))).message).toBe(
      'RingCentral answered 401 OAU-123 to the revoke request',
    );
  });
});
