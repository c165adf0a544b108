import { createClock } from '../../src/clock.js';
import {
  apiMessage,
  createAppApi,
  describeOffset,
  GitHubApiError,
  isClockSkewRejection,
  type AppJwtSource,
} from '../../src/providers/github-app-api.js';
import { bearerClaims, signingJwtSource } from '../../test/app-jwt-source.ts';
import { MESSAGES } from '../../test/emulators/github.ts';
import { fakeHttp, response, type Reply } from '../../test/fake-http.ts';

const LOCAL_MS = 1_700_000_000_000;
const LOCAL_S = LOCAL_MS / 1000;
const localMillis = () => LOCAL_MS;
/** GitHub's Date header when its clock is `seconds` ahead of the runner's (behind when negative). */
const serverDate = (seconds: number) => new Date(LOCAL_MS + seconds * 1000).toUTCString();
const rejected = (message: string, date?: string): Reply => ({ status: 401, body: { message }, date });

function appApi(script: (Reply | Error)[], options: { apiUrl?: string; jwt?: AppJwtSource } = {}) {
  const clock = createClock(localMillis);
  const source = signingJwtSource(clock);
  const fake = fakeHttp(...script);
  const log: string[] = [];
  const request = createAppApi({
    http: fake.http,
    clock,
    apiUrl: options.apiUrl ?? 'https://api.github.com',
    jwt: options.jwt ?? source,
    localMillis,
    log: (message) => log.push(message),
  });
  return { request, clock, signed: source.signed, log, ...fake };
}

async function rejection(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GitHubApiError)) throw new Error(`expected a GitHubApiError, got ${String(error)}`);
  return error;
}

describe('createAppApi', () => {
  test("a request goes to the path under the API URL with GitHub's headers and a freshly signed app JWT", async () => {
    const api = appApi([{ status: 201, body: { token: 't' } }], { apiUrl: 'https://ghe.example.com/api/v3' });
    await api.request('POST', '/app/installations/42/access_tokens', { repositories: ['app'] });
    expect(api.requests).toEqual([
      {
        method: 'POST',
        url: 'https://ghe.example.com/api/v3/app/installations/42/access_tokens',
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'app-jwt-action',
          authorization: `Bearer ${api.signed[0].token}`,
        },
        json: { repositories: ['app'] },
      },
    ]);
  });

  test('an answer that is not about the JWT times is handed back as is, with no retry', async () => {
    const api = appApi([rejected(MESSAGES.jwtUndecodable, serverDate(300))]);
    const answer = await api.request('GET', '/app');
    expect(answer).toMatchObject({ status: 401, body: { message: MESSAGES.jwtUndecodable } });
    expect(api.sent()).toEqual(['GET https://api.github.com/app']);
    expect(api.clock.offsetSeconds()).toBe(0);
  });

  test("GitHub's clock ahead: the rejected request is signed again by GitHub's time and sent once more", async () => {
    const api = appApi([rejected(MESSAGES.jwtIat, serverDate(300)), { status: 200, body: { id: 42 } }]);
    const answer = await api.request('POST', '/app/installations/42/access_tokens', { repositories: ['app'] });

    expect(answer).toMatchObject({ status: 200, body: { id: 42 } });
    expect(api.clock.offsetSeconds()).toBe(300);
    const [first, retry] = api.requests;
    expect(bearerClaims(first).iat).toBe(LOCAL_S - 60);
    expect(bearerClaims(retry).iat).toBe(LOCAL_S + 300 - 60);
    expect({ ...retry, headers: undefined }).toEqual({ ...first, headers: undefined });
    expect(api.log).toEqual([
      "GitHub's clock is 300 s ahead of the runner's: signing again by GitHub's time, for this and every later request.",
    ]);
  });

  test("GitHub's clock behind: an exp GitHub sees as past is corrected the other way", async () => {
    const api = appApi([rejected(MESSAGES.jwtExpired, serverDate(-900)), { status: 200, body: {} }]);
    await api.request('GET', '/app');
    expect(api.clock.offsetSeconds()).toBe(-900);
    expect(bearerClaims(api.requests[1]).exp).toBe(LOCAL_S - 900 + 540);
    expect(api.log).toEqual([expect.stringContaining("GitHub's clock is 900 s behind the runner's")]);
  });

  test("after a correction, later requests are signed by GitHub's time from the start", async () => {
    const api = appApi([rejected(MESSAGES.jwtIat, serverDate(120)), { status: 200 }, { status: 200 }]);
    await api.request('GET', '/users/octo-org/installation');
    await api.request('GET', '/app');
    expect(api.requests).toHaveLength(3);
    expect(bearerClaims(api.requests[2]).iat).toBe(LOCAL_S + 120 - 60);
  });

  test('the request is retried only once: a second rejection is handed back for the caller to explain', async () => {
    const api = appApi([rejected(MESSAGES.jwtIat, serverDate(300)), rejected(MESSAGES.jwtIat, serverDate(300))]);
    const answer = await api.request('GET', '/app');
    expect(answer.status).toBe(401);
    expect(api.requests).toHaveLength(2);
  });

  test("a JWT from the 'jwt' input is not retried: the error gives GitHub's offset and how to sign it", async () => {
    const presigned = { token: 'aaa.bbb.presigned-signature', signature: 'presigned-signature', expiresAt: new Date() };
    const jwt: AppJwtSource = { presigned: true, next: () => presigned };
    const api = appApi([rejected(MESSAGES.jwtIat, serverDate(-75))], { jwt });

    const error = await rejection(api.request('GET', '/app'));
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `GitHub rejected the JWT from the 'jwt' input: ${MESSAGES.jwtIat}. GitHub's clock is 75 s behind the runner's, ` +
        "and a JWT signed elsewhere cannot be signed again here. Sign it with iat 60 s before GitHub's time and exp at most 10 minutes after it, and pass it to this step at once.",
    );
    expect(api.requests).toHaveLength(1);
    expect(api.clock.offsetSeconds()).toBe(0);
  });

  test("a rejection without a Date header fails at once, pointing at the runner's clock", async () => {
    const api = appApi([rejected(MESSAGES.jwtTooLong)]);
    const error = await rejection(api.request('GET', '/app'));
    expect(error.message).toBe(
      `GitHub rejected the JWT's times (${MESSAGES.jwtTooLong}) and sent no Date header to correct the clock by. Check the runner's clock.`,
    );
    expect(error.status).toBe(401);
    expect(api.requests).toHaveLength(1);
    expect(api.clock.offsetSeconds()).toBe(0);
  });
});

describe('isClockSkewRejection', () => {
  test.each([MESSAGES.jwtIat, MESSAGES.jwtExpired, MESSAGES.jwtTooLong])(
    "GitHub's 401 about the JWT's times is recognised: %s",
    (message) => {
      expect(isClockSkewRejection(response({ status: 401, body: { message } }))).toBe(true);
    },
  );

  test('the same words in a plain-text 401 are recognised too', () => {
    expect(isClockSkewRejection(response({ status: 401, body: `${MESSAGES.jwtIat}\n` }))).toBe(true);
  });

  test.each([
    ['a bad key', response({ status: 401, body: { message: MESSAGES.jwtUndecodable } })],
    ['bad credentials', response({ status: 401, body: { message: MESSAGES.badCredentials } })],
    ['the iat words with another status', response({ status: 403, body: { message: MESSAGES.jwtIat } })],
    ['an empty 401', response({ status: 401 })],
  ])('%s is not a clock-skew rejection', (_name, answer) => {
    expect(isClockSkewRejection(answer)).toBe(false);
  });
});

describe('apiMessage', () => {
  test("a JSON body gives its message, GitHub's error text", () => {
    const body = { message: MESSAGES.notFound, documentation_url: 'https://docs.github.com/rest', status: '404' };
    expect(apiMessage(response({ status: 404, body }))).toBe('Not Found');
  });

  test('a text body (a proxy or load balancer page) is given trimmed and at most 200 characters long', () => {
    expect(apiMessage(response({ status: 502, body: '  upstream connect error\n' }))).toBe('upstream connect error');
    expect(apiMessage(response({ status: 502, body: `<html>${'x'.repeat(300)}</html>` }))).toHaveLength(200);
  });

  test('with no message to show, the status stands in for it', () => {
    expect(apiMessage(response({ status: 503, body: '' }))).toBe('HTTP 503');
    expect(apiMessage(response({ status: 503, body: '  \n' }))).toBe('HTTP 503');
    expect(apiMessage(response({ status: 400, body: { error: 'bad' } }))).toBe('HTTP 400');
    expect(apiMessage(response({ status: 400, body: { message: { nested: true } } }))).toBe('HTTP 400');
  });
});

test("describeOffset says which way GitHub's clock is off, and by how much", () => {
  expect(describeOffset(0)).toBe('within a second of');
  expect(describeOffset(42)).toBe('42 s ahead of');
  expect(describeOffset(-42)).toBe('42 s behind');
});
