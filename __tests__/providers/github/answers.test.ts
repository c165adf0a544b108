// A hostile or broken server: every field of GitHub's answers is checked before it is used in a path, an output
// or a log line. Each unusable answer fails with a message that names the field, the request and the server,
// holds no line break or workflow command from the server, and a token that came with it is revoked at once.
import { GitHubApiError } from '../../../src/providers/github/api.js';
import {
  readAccessToken,
  readAppSlug,
  readBotUserId,
  readInstallation,
} from '../../../src/providers/github/answers.js';
import type { InstallationTarget } from '../../../src/providers/github/targets.js';
import {
  makeTestApp,
  startGitHubEmulator,
  type GitHubEmulator,
  type ScriptedResponse,
} from '../../../test/emulators/github.ts';
import { githubError, rejectionOf, sent, tokenRun } from './harness.ts';

const { app, privateKeyPem } = makeTestApp({ slug: 'octo-app' });
const TOKEN_ROUTE = 'POST /app/installations/:installation_id/access_tokens';
const LOOKUP_ROUTE = 'GET /users/:username/installation';
/** What a server can put in any string to take over the log: a line break, then a workflow command. */
const INJECTION = 'x\r\n::stop-commands::pwned\n::add-mask::';

let emulator: GitHubEmulator;

beforeEach(async () => {
  emulator = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 42,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'selected',
        repositories: ['app', 'web'],
        permissions: { contents: 'write', metadata: 'read' },
      },
    ],
    latencyMs: 0,
  });
});

afterEach(async () => {
  await emulator.close();
});

const run = (target: Partial<InstallationTarget> = {}) =>
  tokenRun(emulator.url, privateKeyPem, app.id, { owner: 'octo-org', repositories: [], ...target });

/** An edit of the emulator's own answer body. */
const withBody =
  (edit: (body: Record<string, unknown>) => unknown) =>
  (answer: ScriptedResponse): ScriptedResponse => ({ ...answer, body: edit({ ...(answer.body as object) }) });

/** The failure, checked to be one line with nothing of the injection in it. */
async function failureOf(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await rejectionOf(promise, GitHubApiError);
  expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(error.message).not.toMatch(/stop-commands|add-mask/);
  return error;
}

const unusable = (what: string, field: string, problem: string) =>
  `GitHub answered ${what}, but its ${field} ${problem}: the server at ${emulator.url} does not answer like GitHub's REST API. Check github-api-url.`;

describe('an installation lookup that cannot be used', () => {
  test('an id that is a path ("../../../repos/o/r/dispatches?") is refused: nothing is sent anywhere with it', async () => {
    emulator.tamper(
      LOOKUP_ROUTE,
      withBody((body) => ({ ...body, id: '../../../repos/o/r/dispatches?' })),
    );
    const error = await failureOf(run().run());
    expect(error.message).toBe(
      unusable('200 to GET /users/octo-org/installation', '`id`', 'is not a positive whole number'),
    );
    expect(sent(emulator.requests)).toEqual(['GET /users/octo-org/installation']);
    expect(emulator.issuedTokens()).toEqual([]);
  });

  test.each([['42'], [0], [-1], [1.5], [2 ** 53], [null], [undefined], [{ id: 42 }]])(
    'an id of %j is not a positive safe integer',
    async (id) => {
      emulator.tamper(
        LOOKUP_ROUTE,
        withBody((body) => ({ ...body, id })),
      );
      const error = await failureOf(run().run());
      expect(error.message).toBe(
        unusable('200 to GET /users/octo-org/installation', '`id`', 'is not a positive whole number'),
      );
      expect(emulator.requests).toHaveLength(1);
    },
  );

  test.each([
    ['a list', []],
    ['a string', 'OK'],
    ['a number', 42],
    ['an HTML page', '<html><body>Welcome</body></html>'],
  ])(
    'a 200 whose body is %s is not an installation (where the old action said installation-id=undefined)',
    async (_what, body) => {
      emulator.fail(LOOKUP_ROUTE, {
        status: 200,
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' },
      });
      const error = await failureOf(run().run());
      expect(error.message).toBe(
        unusable('200 to GET /users/octo-org/installation', 'body', 'is not an installation (not a JSON object)'),
      );
      expect(emulator.requests).toHaveLength(1);
    },
  );

  test('a 200 that is an object of something else (no id) fails on its id', async () => {
    emulator.fail(LOOKUP_ROUTE, { status: 200, body: { login: 'octo-org', type: 'Organization' } });
    const error = await failureOf(run().run());
    expect(error.message).toBe(
      unusable('200 to GET /users/octo-org/installation', '`id`', 'is not a positive whole number'),
    );
  });

  test.each([INJECTION, 'octo app', 'octo/app', '', 7])(
    'an app_slug of %j is not an app slug: it would reach the outputs and an install link',
    async (slug) => {
      emulator.tamper(
        LOOKUP_ROUTE,
        withBody((body) => ({ ...body, app_slug: slug })),
      );
      const error = await failureOf(run().run());
      expect(error.message).toBe(
        unusable(
          '200 to GET /users/octo-org/installation',
          '`app_slug`',
          'is not an app slug (letters, digits and hyphens)',
        ),
      );
      expect(emulator.requests).toHaveLength(1);
    },
  );

  test.each([
    ['a login with a workflow command', { login: `octo${INJECTION}`, type: 'Organization' }],
    ['a login that is a path', { login: '../../orgs/x', type: 'Organization' }],
    ['a login that is not a string', { login: 42, type: 'User' }],
    ['no login', { type: 'User' }],
    ['a type with a line break', { login: 'octo-org', type: 'Organization\n::warning::x' }],
    ['an enterprise slug with a workflow command', { slug: `ent${INJECTION}` }],
    ['a string', 'octo-org'],
  ])('an account with %s does not name a GitHub account', async (what, account) => {
    emulator.tamper(
      LOOKUP_ROUTE,
      withBody((body) => ({
        ...body,
        account,
        ...(what.startsWith('an enterprise') ? { target_type: 'Enterprise' } : {}),
      })),
    );
    const error = await failureOf(run().run());
    expect(error.message).toBe(
      unusable('200 to GET /users/octo-org/installation', '`account`', 'does not name a GitHub account'),
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test.each([
    ['a name with a workflow command', { [`contents${INJECTION}`]: 'read' }],
    ['a name in capitals', { Contents: 'read' }],
    ['an unknown level', { contents: 'superuser' }],
    ['a level that is not a string', { contents: 2 }],
  ])('installation permissions with %s are refused before the token is asked for', async (_what, permissions) => {
    emulator.tamper(
      LOOKUP_ROUTE,
      withBody((body) => ({ ...body, permissions })),
    );
    const error = await failureOf(run({ permissions: { contents: 'read' } }).run());
    expect(error.message).toBe(
      unusable(
        '200 to GET /users/octo-org/installation',
        '`permissions`',
        'holds an entry that is not a permission name and level',
      ),
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test('installation permissions that are not an object are refused', async () => {
    emulator.tamper(
      LOOKUP_ROUTE,
      withBody((body) => ({ ...body, permissions: ['contents'] })),
    );
    const error = await failureOf(run().run());
    expect(error.message).toBe(
      unusable('200 to GET /users/octo-org/installation', '`permissions`', 'is not an object'),
    );
  });

  test('the repository lookup names its own request in the message', async () => {
    emulator.tamper(
      'GET /repos/:owner/:repo/installation',
      withBody((body) => ({ ...body, id: 'x' })),
    );
    const error = await failureOf(run({ repositories: ['app'] }).run());
    expect(error.message).toBe(
      unusable('200 to GET /repos/octo-org/app/installation', '`id`', 'is not a positive whole number'),
    );
  });
});

describe('a 201 that cannot be used', () => {
  /** The one token the emulator issued, and whether the step revoked it with its own DELETE. */
  function issuedAndRevoked() {
    const [issued] = emulator.issuedTokens();
    const deletes = emulator.requests.filter((r) => `${r.method} ${r.path}` === 'DELETE /installation/token');
    return { issued, deletes };
  }

  test('a 201 without a token fails (where the old action said token=undefined); there is nothing to revoke with', async () => {
    emulator.tamper(
      TOKEN_ROUTE,
      withBody(({ token: _dropped, ...rest }) => rest),
    );
    const tokenRequest = run({ installationId: 42 });
    const error = await failureOf(tokenRequest.run());
    expect(error.message).toBe(
      unusable(
        '201 to POST /app/installations/42/access_tokens',
        '`token`',
        'is missing or not a token (one line of printable characters)',
      ),
    );
    expect(tokenRequest.masked).toEqual([]);
    expect(tokenRequest.revoked).toEqual([]);
    expect(sent(emulator.requests)).toEqual(['POST /app/installations/42/access_tokens']);
  });

  test.each([
    ['a number', 12345678],
    ['an empty string', ''],
    ['an object', { value: 'ghs_x' }],
  ])('a token that is %s is no token, and nothing is revoked', async (_what, token) => {
    emulator.tamper(
      TOKEN_ROUTE,
      withBody((body) => ({ ...body, token })),
    );
    const tokenRequest = run({ installationId: 42 });
    const error = await failureOf(tokenRequest.run());
    expect(error.message).toBe(
      unusable(
        '201 to POST /app/installations/42/access_tokens',
        '`token`',
        'is missing or not a token (one line of printable characters)',
      ),
    );
    expect(tokenRequest.revoked).toEqual([]);
  });

  test('a token with a line break and a workflow command is masked as it came, and refused', async () => {
    const token = `ghs_abc${INJECTION}`;
    emulator.tamper(
      TOKEN_ROUTE,
      withBody((body) => ({ ...body, token })),
    );
    const tokenRequest = run({ installationId: 42 });
    const error = await failureOf(tokenRequest.run());
    expect(tokenRequest.masked).toEqual([token]);
    // It cannot go in an Authorization header: the revoke fails before anything is sent, and the message says so.
    expect(error.message).toBe(
      `${unusable('201 to POST /app/installations/42/access_tokens', '`token`', 'is missing or not a token (one line of printable characters)')} Revoking the token in the answer failed too; it expires by itself (installation tokens last an hour).`,
    );
    expect(issuedAndRevoked().deletes).toEqual([]);
  });

  test('a token of any length and printable alphabet is taken: GitHub does not promise one', async () => {
    const token = `ghs_${'A1b2-_.~'.repeat(200)}`;
    emulator.fail(TOKEN_ROUTE, {
      status: 201,
      body: { token, expires_at: '2030-01-01T00:00:00Z', permissions: { contents: 'read' } },
    });
    const issued = await run({ installationId: 42 }).run();
    expect(issued.granted).toEqual({
      token,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      permissions: { contents: 'read' },
    });
  });

  test.each([
    ['missing', undefined],
    ['garbage', 'soon'],
    ['an impossible date', '2026-13-45T99:00:00Z'],
    ['a number', 1_800_000_000],
    ['empty', ''],
  ])(
    'an expires_at that is %s fails, and the token that came is masked and revoked at once',
    async (_what, expiresAt) => {
      emulator.tamper(
        TOKEN_ROUTE,
        withBody((body) => ({ ...body, expires_at: expiresAt })),
      );
      const tokenRequest = run({ installationId: 42 });
      const error = await failureOf(tokenRequest.run());
      expect(error.message).toBe(
        `${unusable('201 to POST /app/installations/42/access_tokens', '`expires_at`', 'is missing or not a date')} The token in the answer was revoked.`,
      );
      const { issued, deletes } = issuedAndRevoked();
      expect(tokenRequest.masked).toEqual([issued.token]);
      expect(deletes.map((request) => request.headers.authorization)).toEqual([`Bearer ${issued.token}`]);
      expect(issued.revoked).toBe(true);
    },
  );

  test.each([
    ['an object', { name: 'app' }],
    ['a string', 'app, web'],
    ['a list of names', ['app', 'web']],
    ['a list with a name that is a path', [{ name: '../../x' }]],
    ['a list with a name holding a workflow command', [{ name: `app${INJECTION}` }]],
    ['a list of objects without names', [{ id: 1 }]],
  ])('repositories that are %s fail, and the token is revoked', async (_what, repositories) => {
    emulator.tamper(
      TOKEN_ROUTE,
      withBody((body) => ({ ...body, repositories })),
    );
    const tokenRequest = run({ installationId: 42, repositories: ['app'] });
    const error = await failureOf(tokenRequest.run());
    expect(error.message).toBe(
      `${unusable('201 to POST /app/installations/42/access_tokens', '`repositories`', 'is not a list of repositories')} The token in the answer was revoked.`,
    );
    expect(issuedAndRevoked().issued.revoked).toBe(true);
  });

  test.each([
    ['a name with a workflow command', { [`contents${INJECTION}`]: 'read' }],
    ['an unknown level', { contents: 'owner' }],
    ['a list', ['contents']],
  ])('granted permissions with %s fail, and the token is revoked', async (_what, permissions) => {
    emulator.tamper(
      TOKEN_ROUTE,
      withBody((body) => ({ ...body, permissions })),
    );
    const error = await failureOf(run({ installationId: 42 }).run());
    expect(error.message).toMatch(
      /^GitHub answered 201 to POST \/app\/installations\/42\/access_tokens, but its `permissions` /,
    );
    expect(error.message).toMatch(/ The token in the answer was revoked\.$/);
    expect(issuedAndRevoked().issued.revoked).toBe(true);
  });

  test('a 201 that is not JSON fails on its body, with no token to revoke', async () => {
    emulator.fail(TOKEN_ROUTE, { status: 201, body: 'created', headers: { 'content-type': 'text/plain' } });
    const tokenRequest = run({ installationId: 42 });
    const error = await failureOf(tokenRequest.run());
    expect(error.message).toBe(
      unusable('201 to POST /app/installations/42/access_tokens', 'body', 'is not a JSON object'),
    );
    expect(tokenRequest.revoked).toEqual([]);
  });

  test('when the revoke is refused too, the message says the token was left to expire', async () => {
    emulator.tamper(
      TOKEN_ROUTE,
      withBody((body) => ({ ...body, expires_at: 'never' })),
    );
    const down = { status: 503, body: { message: 'Service Unavailable' } };
    emulator.fail('DELETE /installation/token', down, down, down, down);
    const error = await failureOf(run({ installationId: 42 }).run());
    expect(error.message).toMatch(
      /is missing or not a date: .* Revoking the token in the answer failed too; it expires by itself \(installation tokens last an hour\)\.$/,
    );
    expect(issuedAndRevoked().deletes).toHaveLength(4);
    expect(issuedAndRevoked().issued.revoked).toBe(false);
  });
});

describe("a server's error text", () => {
  test.each([
    [403, `Forbidden${INJECTION}`, 'Forbiddenx ::stop-commands::pwned ::add-mask::'],
    [403, 'a\u2028b\u2029c\u0085d\u001b[31me', 'a b c d [31me'],
  ])('a %i message is quoted on one line, its control characters gone', async (status, message, shown) => {
    emulator.fail(TOKEN_ROUTE, githubError(status, message));
    const error = await rejectionOf(run({ installationId: 42 }).run(), GitHubApiError);
    expect(error.message).toBe(`Creating a token for installation 42 failed: GitHub answered ${status} "${shown}".`);
  });

  test('a message too long to read is cut at 300 characters', async () => {
    emulator.fail(TOKEN_ROUTE, githubError(403, 'y'.repeat(5000)));
    const error = await rejectionOf(run({ installationId: 42 }).run(), GitHubApiError);
    expect(error.message).toBe(
      `Creating a token for installation 42 failed: GitHub answered 403 "${'y'.repeat(299)}…".`,
    );
  });

  test("a 422's errors[] detail is kept in the message", async () => {
    emulator.fail(TOKEN_ROUTE, {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          { resource: 'Installation', field: 'repositories', code: 'invalid' },
          { code: 'custom', message: `No more than 500 repositories${INJECTION}` },
        ],
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    const error = await rejectionOf(run({ installationId: 42, repositories: ['app'] }).run(), GitHubApiError);
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      'Creating a token for installation 42 failed: GitHub answered 422 "Validation Failed (Installation repositories invalid; No more than 500 repositoriesx ::stop-commands::pwned ::add-mask::)". ' +
        "One of the repositories (app) does not exist on octo-org or is not among those the installation can reach; names are matched within owner 'octo-org'.",
    );
  });
});

describe('the readers, field by field', () => {
  const API = 'https://api.github.com';

  test('an installation keeps only what the action uses, each field checked', () => {
    expect(
      readInstallation(
        {
          id: 7,
          app_slug: 'octo-app',
          account: { login: 'Mona', type: 'User', id: 1 },
          permissions: { contents: 'read', issues: 'write', administration: 'admin' },
          events: ['push'],
        },
        '200',
        API,
      ),
    ).toEqual({
      id: 7,
      appSlug: 'octo-app',
      account: { login: 'Mona', type: 'User' },
      permissions: { contents: 'read', issues: 'write', administration: 'admin' },
    });
  });

  test('an installation may leave out app_slug, account and permissions', () => {
    expect(readInstallation({ id: 7 }, '200', API)).toEqual({ id: 7, permissions: {} });
    expect(readInstallation({ id: 7, account: null, permissions: null }, '200', API)).toEqual({
      id: 7,
      permissions: {},
    });
  });

  test('an account without a type is a user; an enterprise is named by its slug', () => {
    expect(readInstallation({ id: 7, account: { login: 'mona' } }, '200', API).account).toEqual({
      login: 'mona',
      type: 'User',
    });
    expect(
      readInstallation({ id: 7, target_type: 'Enterprise', account: { slug: 'octo-ent', name: 'Octo' } }, '200', API)
        .account,
    ).toEqual({ login: 'octo-ent', type: 'Enterprise' });
  });

  test('an access token without repositories covers the whole installation', () => {
    expect(readAccessToken({ token: 'ghs_x', expires_at: '2030-01-01T00:00:00Z' }, '201', API)).toEqual({
      token: 'ghs_x',
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      permissions: {},
    });
  });

  test("GET /app's slug is checked like an installation's", () => {
    expect(readAppSlug({ slug: 'octo-app', id: 1 }, API)).toBe('octo-app');
    for (const body of [{ slug: `octo${INJECTION}` }, { slug: 7 }, {}, 'octo-app', null])
      expect(() => readAppSlug(body, API)).toThrow(
        `GitHub answered 200 to GET /app, but its \`slug\` is not an app slug (letters, digits and hyphens): the server at ${API} does not answer like GitHub's REST API. Check github-api-url.`,
      );
  });

  test('the bot user must be the bot of the slug asked for, with a positive id', () => {
    expect(readBotUserId({ login: 'Octo-App[bot]', id: 99 }, 'octo-app', API)).toBe(99);
    expect(() => readBotUserId({ login: 'someone-else', id: 99 }, 'octo-app', API)).toThrow(
      `GitHub answered 200 to GET /users/octo-app[bot], but its \`login\` is not octo-app[bot]: the server at ${API} does not answer like GitHub's REST API. Check github-api-url.`,
    );
    for (const id of ['99', 0, -5, 1.5, undefined])
      expect(() => readBotUserId({ login: 'octo-app[bot]', id }, 'octo-app', API)).toThrow(
        `GitHub answered 200 to GET /users/octo-app[bot], but its \`id\` is not a positive whole number: the server at ${API} does not answer like GitHub's REST API. Check github-api-url.`,
      );
  });
});
