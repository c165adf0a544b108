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

  test('a 200 without an access_token is an error', async () => {
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { token_type: 'bearer' } });
    expect((await failureOf(exchange('a.b.c'))).message).toBe('RingCentral answered 200 without an access_token.');
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

  test('a 429 with no code: the parallel-session limit', async () => {
    rc.fail('POST /restapi/oauth/token', ...Array.from({ length: 4 }, () => ({ status: 429, body: {} })));
    expect((await failureOf(exchange('a.b.c'))).message).toMatch(
      /^RingCentral kept refusing logins for now \(429 HTTP 429\): past the user's limit of parallel sessions it answers 429\. Revoke unused sessions/,
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
      'RingCentral answered 503 after retrying (503 HTTP 503: Service Unavailable); its service may be having an incident. Run the job again later.',
    );
  });

  test('any other refusal keeps the code and text', async () => {
    expect((await failureOf(exchange(''))).message).toBe(
      'RingCentral refused the login (400 CMN-101: Parameter [assertion] value is invalid.).',
    );
  });
});

describe('describeTokenFailure reads both of RingCentral’s body shapes', () => {
  const answer = (status: number, body: unknown) => ({ status, headers: headerLookup({}), body });
  const c = { serverUrl: 'https://platform.ringcentral.com', clientId: 'id', clientSecret: 'secret' };
  test.each([
    [
      'OAuth: error and error_description',
      { error: 'invalid_grant', error_description: 'Token expired' },
      '(400 invalid_grant: Token expired)',
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
    ['no body', '', '(400 HTTP 400)'],
    ['a text body, cut at 200 characters', 'x'.repeat(300), `(400 HTTP 400: ${'x'.repeat(200)})`],
  ])('%s', (_what, body, raw) => {
    expect(describeTokenFailure(answer(400, body), c)).toBe(`RingCentral refused the login ${raw}.`);
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

  test('a refusal without a text gives the code alone', async () => {
    rc.fail('POST /restapi/oauth/revoke', { status: 401, body: { errorCode: 'OAU-123' } });
    expect((await failureOf(revokeRingCentralToken(transport(), client(), 'at'))).message).toBe(
      'RingCentral answered 401 OAU-123 to the revoke request',
    );
  });
});
