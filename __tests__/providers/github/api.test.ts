import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from '../../../src/http/failure.js';
import { apiResponse, headerLookup, type ApiResponse } from '../../../src/http/response.js';
import {
  apiMessage,
  createGitHubApi,
  describeOffset,
  GitHubApiError,
  isClockSkewRejection,
} from '../../../src/providers/github/api.js';
import { appJwtSource, decodePresignedJwt } from '../../../src/providers/github/app-jwt.js';
import {
  makeTestApp,
  MESSAGES,
  signTestJwt,
  startGitHubEmulator,
  type GitHubEmulator,
  type RecordedRequest,
} from '../../../test/emulators/github.ts';
import {
  appApi,
  bearerClaims,
  githubError,
  infoLines,
  LOCAL_S,
  noWaitTransport,
  recordingLog,
  rejectionOf,
  sent,
  serverDate,
  signingApi,
  stoppedClock,
} from './harness.ts';

const { app, privateKeyPem } = makeTestApp({ slug: 'octo-app' });
const { privateKeyPem: otherKeyPem } = makeTestApp();
const TOKEN_ROUTE = 'POST /app/installations/:installation_id/access_tokens';

const running: GitHubEmulator[] = [];

async function startEmulator(pathPrefix?: string): Promise<GitHubEmulator> {
  const emulator = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 42,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: ['app'],
        permissions: { contents: 'write', metadata: 'read' },
      },
    ],
    latencyMs: 0,
    pathPrefix,
  });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** The request as the emulator saw it, with the headers this client sets. */
function asReceived(request: RecordedRequest) {
  const names = ['accept', 'x-github-api-version', 'user-agent', 'authorization', 'content-type'];
  return {
    method: request.method,
    path: request.path,
    route: request.route,
    body: request.body,
    headers: Object.fromEntries(names.filter((name) => name in request.headers).map((n) => [n, request.headers[n]])),
  };
}

describe('requests through createGitHubApi', () => {
  test("a request goes to the path under the API URL with GitHub's headers and a freshly signed app JWT", async () => {
    const emulator = await startEmulator('/api/v3');
    const { api, jwt } = signingApi(emulator.url, privateKeyPem, app.id);

    const answer = await api.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: 42,
      data: { repositories: ['app'] },
    });

    expect(answer.status).toBe(201);
    expect(emulator.requests.map(asReceived)).toEqual([
      {
        method: 'POST',
        path: '/api/v3/app/installations/42/access_tokens',
        route: TOKEN_ROUTE,
        body: { repositories: ['app'] },
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': expect.stringMatching(/^app-jwt-action( |$)/),
          authorization: `Bearer ${jwt.last()?.token}`,
          'content-type': 'application/json; charset=utf-8',
        },
      },
    ]);
    expect(bearerClaims(emulator.requests[0])).toEqual({ iat: LOCAL_S - 60, exp: LOCAL_S + 540, iss: app.id });
    expect(jwt.masked).toEqual([jwt.last()?.token, jwt.last()?.signature]);
  });

  test('path parameters are URL-encoded into their segment', async () => {
    const emulator = await startEmulator();
    const { api } = signingApi(emulator.url, privateKeyPem, app.id);
    await api.request('GET /repos/{owner}/{repo}/installation', { owner: 'octo org', repo: 'a/b?c#d' });
    expect(emulator.requests.map((r) => [r.path, r.route])).toEqual([
      ['/repos/octo%20org/a%2Fb%3Fc%23d/installation', 'GET /repos/:owner/:repo/installation'],
    ]);
  });

  test('with a token, the request carries it as Bearer, with the same GitHub headers', async () => {
    const emulator = await startEmulator();
    const { api: asApp } = signingApi(emulator.url, privateKeyPem, app.id);
    const token = ((await asApp.request('POST /app/installations/42/access_tokens')).body as { token: string }).token;
    const api = createGitHubApi({
      transport: noWaitTransport(),
      apiUrl: emulator.url,
      clock: stoppedClock(),
      log: recordingLog(),
      auth: { token },
    });

    const answer = await api.request('DELETE /installation/token');

    expect(answer.status).toBe(204);
    expect(asReceived(emulator.requests[1])).toEqual({
      method: 'DELETE',
      path: '/installation/token',
      route: 'DELETE /installation/token',
      body: undefined,
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': expect.stringMatching(/^app-jwt-action( |$)/),
        authorization: `Bearer ${token}`,
      },
    });
    expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true]);
  });

  test('an answer of any status is handed back with its headers, parsed body and Date', async () => {
    const emulator = await startEmulator();
    const { api } = signingApi(emulator.url, privateKeyPem, app.id);
    emulator.fail('GET /app', githubError(404, MESSAGES.notFound, serverDate(5)));
    const answer = await api.request('GET /app');
    expect({ ...answer, headers: answer.headers.get('x-github-api-version-selected') }).toEqual({
      status: 404,
      headers: '2022-11-28',
      body: { message: MESSAGES.notFound, documentation_url: 'https://docs.github.com/rest', status: '404' },
      date: new Date(serverDate(5)),
    });
  });

  test('a 5xx is retried by the transport with the same JWT, and the answer that ends it is returned', async () => {
    const emulator = await startEmulator();
    const { api, log } = signingApi(emulator.url, privateKeyPem, app.id);
    emulator.fail('GET /app', { status: 502, body: 'bad gateway' }, githubError(503, 'Service Unavailable'));
    const answer = await api.request('GET /app');
    expect(answer).toMatchObject({ status: 200, body: { id: app.id, slug: 'octo-app' } });
    expect(sent(emulator.requests)).toEqual(['GET /app', 'GET /app', 'GET /app']);
    expect(new Set(emulator.requests.map((r) => r.headers.authorization)).size).toBe(1);
    expect(infoLines(log)).toEqual([]);
  });

  test("a network failure that outlasts the retries is the transport's HttpError, without the JWT", async () => {
    const emulator = await startEmulator();
    const { api, jwt } = signingApi(emulator.url, privateKeyPem, app.id);
    emulator.fail('GET /app', 'reset', 'reset', 'reset', 'reset');
    const error = await rejectionOf(api.request('GET /app'), HttpError);
    expect(error.message).toMatch(new RegExp(`^GET ${emulator.url}/app failed after 4 attempts: `));
    expect(error.message).not.toContain(jwt.last()?.signature);
    expect(emulator.requests).toHaveLength(4);
  });
});

describe("GitHub's clock", () => {
  test('an answer that is not about the JWT times is handed back as is, with no retry', async () => {
    const emulator = await startEmulator();
    emulator.setClockOffset(300);
    const { api, clock, log } = signingApi(emulator.url, otherKeyPem, app.id);
    const answer = await api.request('GET /app');
    expect(answer).toMatchObject({ status: 401, body: { message: MESSAGES.jwtUndecodable } });
    expect(sent(emulator.requests)).toEqual(['GET /app']);
    expect(clock.offsetSeconds()).toBe(0);
    expect(infoLines(log)).toEqual([]);
  });

  test("GitHub's clock ahead: the rejected request is signed again by GitHub's time and sent once more", async () => {
    const emulator = await startEmulator();
    emulator.setClockOffset(900);
    emulator.fail(TOKEN_ROUTE, githubError(401, MESSAGES.jwtExpired, serverDate(900)));
    const { api, clock, log } = signingApi(emulator.url, privateKeyPem, app.id);

    const answer = await api.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: 42,
      data: { repositories: ['app'] },
    });

    expect(answer).toMatchObject({ status: 201, body: { repositories: [{ name: 'app' }] } });
    expect(clock.offsetSeconds()).toBe(900);
    const [first, retry] = emulator.requests;
    expect(emulator.requests).toHaveLength(2);
    expect(bearerClaims(first).iat).toBe(LOCAL_S - 60);
    expect(bearerClaims(retry).iat).toBe(LOCAL_S + 900 - 60);
    expect({ ...asReceived(retry), headers: undefined }).toEqual({ ...asReceived(first), headers: undefined });
    expect(infoLines(log)).toEqual([
      "GitHub's clock is 900 s ahead of the runner's: signing again by GitHub's time, for this and every later request.",
    ]);
  });

  test("GitHub's clock behind: an exp GitHub sees as too far ahead is corrected the other way", async () => {
    const emulator = await startEmulator();
    emulator.setClockOffset(-900);
    emulator.fail('GET /app', githubError(401, MESSAGES.jwtTooLong, serverDate(-900)));
    const { api, clock, log } = signingApi(emulator.url, privateKeyPem, app.id);
    const answer = await api.request('GET /app');
    expect(answer.status).toBe(200);
    expect(clock.offsetSeconds()).toBe(-900);
    expect(bearerClaims(emulator.requests[1]).exp).toBe(LOCAL_S - 900 + 540);
    expect(infoLines(log)).toEqual([
      "GitHub's clock is 900 s behind the runner's: signing again by GitHub's time, for this and every later request.",
    ]);
  });

  test("after a correction, later requests are signed by GitHub's time from the start", async () => {
    const emulator = await startEmulator();
    emulator.setClockOffset(900);
    emulator.fail('GET /users/:username/installation', githubError(401, MESSAGES.jwtExpired, serverDate(900)));
    const { api } = signingApi(emulator.url, privateKeyPem, app.id);
    await api.request('GET /users/{username}/installation', { username: 'octo-org' });
    const later = await api.request('GET /app');
    expect(later.status).toBe(200);
    expect(sent(emulator.requests)).toEqual([
      'GET /users/octo-org/installation',
      'GET /users/octo-org/installation',
      'GET /app',
    ]);
    expect(bearerClaims(emulator.requests[2]).iat).toBe(LOCAL_S + 900 - 60);
  });

  test('the request is signed again only once: a second rejection is handed back for the caller to explain', async () => {
    const emulator = await startEmulator();
    emulator.setClockOffset(900);
    const rejected = githubError(401, MESSAGES.jwtExpired, serverDate(900));
    emulator.fail('GET /app', rejected, rejected);
    const { api, log } = signingApi(emulator.url, privateKeyPem, app.id);
    const answer = await api.request('GET /app');
    expect(answer).toMatchObject({ status: 401, body: { message: MESSAGES.jwtExpired } });
    expect(sent(emulator.requests)).toEqual(['GET /app', 'GET /app']);
    expect(infoLines(log)).toHaveLength(1);
  });

  test("a JWT from the 'jwt' input is not signed again: the error gives GitHub's offset and how to sign it", async () => {
    const emulator = await startEmulator();
    emulator.setClockOffset(-75);
    emulator.fail('GET /app', githubError(401, MESSAGES.jwtTooLong, serverDate(-75)));
    const clock = stoppedClock();
    const token = signTestJwt({ iat: LOCAL_S - 60, exp: LOCAL_S + 540, iss: app.id }, privateKeyPem);
    const presigned = decodePresignedJwt(token, clock);
    const jwt = appJwtSource(
      { kind: 'presigned', jwt: presigned },
      () => ({ iat: 0, exp: 0, iss: 0 }),
      () => {},
    );
    const { api, log } = appApi(emulator.url, jwt, clock);

    const error = await rejectionOf(api.request('GET /app'), GitHubApiError);

    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `GitHub rejected the JWT from the 'jwt' input: ${MESSAGES.jwtTooLong}. GitHub's clock is 75 s behind the runner's, ` +
        "and a JWT signed elsewhere cannot be signed again here. Sign it with iat 60 s before GitHub's time and exp at most 10 minutes after it, and pass it to this step at once.",
    );
    expect(emulator.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`]);
    expect(clock.offsetSeconds()).toBe(0);
    expect(infoLines(log)).toEqual([]);
  });
});

describe('a clock-skew rejection without a Date header', () => {
  let server: Server;
  let received: number;

  beforeEach(async () => {
    received = 0;
    // A server that says what GitHub says about the JWT's times, and sends no Date header with it.
    server = createServer((request, response) => {
      received++;
      request.resume();
      response.sendDate = false;
      response.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ message: MESSAGES.jwtTooLong, status: '401' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("fails at once, pointing at the runner's clock", async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { api, clock } = signingApi(url, privateKeyPem, app.id);
    const error = await rejectionOf(api.request('GET /app'), GitHubApiError);
    expect(error.message).toBe(
      `GitHub rejected the JWT's times (${MESSAGES.jwtTooLong}) and sent no Date header to correct the clock by. Check the runner's clock.`,
    );
    expect(error.status).toBe(401);
    expect(received).toBe(1);
    expect(clock.offsetSeconds()).toBe(0);
  });
});

/** An answer as the HTTP layer reads one: JSON for an object, plain text for a string. */
function answer(status: number, body: object | string = ''): ApiResponse {
  const type = typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
  return apiResponse(
    status,
    headerLookup({ 'content-type': type }),
    typeof body === 'string' ? body : JSON.stringify(body),
  );
}

describe('isClockSkewRejection', () => {
  test.each([MESSAGES.jwtIat, MESSAGES.jwtExpired, MESSAGES.jwtTooLong])(
    "GitHub's 401 about the JWT's times is recognised: %s",
    (message) => {
      expect(isClockSkewRejection(answer(401, { message }))).toBe(true);
    },
  );

  test('the same words in a plain-text 401 are recognised too', () => {
    expect(isClockSkewRejection(answer(401, `${MESSAGES.jwtIat}\n`))).toBe(true);
  });

  test.each([
    ['a bad key', answer(401, { message: MESSAGES.jwtUndecodable })],
    ['bad credentials', answer(401, { message: MESSAGES.badCredentials })],
    ['the iat words with another status', answer(403, { message: MESSAGES.jwtIat })],
    ['an empty 401', answer(401)],
  ])('%s is not a clock-skew rejection', (_name, response) => {
    expect(isClockSkewRejection(response)).toBe(false);
  });
});

describe('apiMessage', () => {
  test("a JSON body gives its message, GitHub's error text", () => {
    const body = { message: MESSAGES.notFound, documentation_url: 'https://docs.github.com/rest', status: '404' };
    expect(apiMessage(answer(404, body))).toBe('Not Found');
  });

  test('a text body (a proxy or load balancer page) is given trimmed, on one line, at most 200 characters long', () => {
    expect(apiMessage(answer(502, '  upstream connect error\n'))).toBe('upstream connect error');
    expect(apiMessage(answer(502, `<html>${'x'.repeat(300)}</html>`))).toBe(`<html>${'x'.repeat(193)}…`);
    expect(apiMessage(answer(502, '<html>\r\n<body>\r\n::stop-commands::x</body>'))).toBe(
      '<html> <body> ::stop-commands::x</body>',
    );
  });

  test('a JSON message is made one line, without control characters, and cut at 300', () => {
    expect(apiMessage(answer(403, { message: 'Forbidden\r\n::add-mask::\u2028x\u0007' }))).toBe(
      'Forbidden ::add-mask:: x',
    );
    expect(apiMessage(answer(403, { message: 'm'.repeat(400) }))).toBe(`${'m'.repeat(299)}…`);
  });

  test("a 422's errors[] detail follows the message: resource, field and code, or the entry's own message", () => {
    const body = {
      message: 'Validation Failed',
      errors: [
        { resource: 'Installation', field: 'repositories', code: 'invalid' },
        { code: 'custom', message: 'No more than 500 repositories may be given.' },
        'a bare string',
        { field: 'permissions', code: 7 },
        {},
        null,
      ],
      documentation_url: 'https://docs.github.com/rest',
    };
    expect(apiMessage(answer(422, body))).toBe(
      'Validation Failed (Installation repositories invalid; No more than 500 repositories may be given.; a bare string; permissions)',
    );
  });

  test('errors[] that is not a list, or lists nothing readable, adds nothing', () => {
    expect(apiMessage(answer(422, { message: 'Validation Failed', errors: 'bad' }))).toBe('Validation Failed');
    expect(apiMessage(answer(422, { message: 'Validation Failed', errors: [{}, 3] }))).toBe('Validation Failed');
  });

  test('the detail is made one line like the message', () => {
    const body = { message: 'Validation Failed', errors: [{ message: 'line one\n::error::line two' }] };
    expect(apiMessage(answer(422, body))).toBe('Validation Failed (line one ::error::line two)');
  });

  test('with no message to show, the status stands in for it', () => {
    expect(apiMessage(answer(503, ''))).toBe('HTTP 503');
    expect(apiMessage(answer(503, '  \n'))).toBe('HTTP 503');
    expect(apiMessage(answer(400, { error: 'bad' }))).toBe('HTTP 400');
    expect(apiMessage(answer(400, { message: { nested: true } }))).toBe('HTTP 400');
  });
});

test("describeOffset says which way GitHub's clock is off, and by how much", () => {
  expect(describeOffset(0)).toBe('within a second of');
  expect(describeOffset(42)).toBe('42 s ahead of');
  expect(describeOffset(-42)).toBe('42 s behind');
});
