import { GitHubApiError } from '../../../src/providers/github/api.js';
import type { InstallationTarget } from '../../../src/providers/github/targets.js';
import {
  makeTestApp,
  MESSAGES,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
  type GitHubEmulatorOptions,
} from '../../../test/emulators/github.ts';
import { startProxy } from '../../../test/proxy.ts';
import {
  bearerClaims,
  githubError,
  infoLines,
  LOCAL_S,
  rejectionOf,
  sent,
  serverDate,
  tokenRun,
  type TokenRun,
} from './harness.ts';

const { app, privateKeyPem } = makeTestApp({
  slug: 'octo-app',
  permissions: { contents: 'write', issues: 'write', metadata: 'read' },
});
const { privateKeyPem: otherKeyPem } = makeTestApp();
const TOKEN_ROUTE = 'POST /app/installations/:installation_id/access_tokens';
const SERVER_ERROR = { status: 502, body: { message: 'Server Error' } };

function installations(): EmulatedInstallation[] {
  return [
    {
      id: 42,
      appId: app.id,
      account: { login: 'octo-org', type: 'Organization' },
      repositorySelection: 'selected',
      repositories: ['app', 'web'],
      permissions: { contents: 'write', issues: 'read', metadata: 'read' },
    },
    {
      id: 43,
      appId: app.id,
      account: { login: 'mona', type: 'User' },
      repositorySelection: 'selected',
      repositories: ['dotfiles'],
      permissions: { contents: 'read', metadata: 'read' },
    },
    {
      id: 44,
      appId: app.id,
      account: { login: 'frozen-org', type: 'Organization' },
      repositorySelection: 'all',
      repositories: [],
      permissions: { contents: 'read', metadata: 'read' },
      suspended: true,
    },
    {
      id: 50,
      appId: app.id,
      account: { login: 'octo-ent', type: 'Enterprise' },
      repositorySelection: 'all',
      repositories: [],
      permissions: { enterprise_custom_properties_for_organizations: 'write' },
    },
  ];
}

const running: GitHubEmulator[] = [];

async function startEmulator(options: Partial<GitHubEmulatorOptions> = {}): Promise<GitHubEmulator> {
  const emulator = await startGitHubEmulator({ apps: [app], installations: installations(), latencyMs: 0, ...options });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** createInstallationToken for `target` (owner octo-org unless given) at `apiUrl`, as app `issuer`. */
function exchange(
  apiUrl: string,
  target: Partial<InstallationTarget>,
  { key = privateKeyPem, issuer = app.id }: { key?: string; issuer?: number } = {},
): TokenRun {
  return tokenRun(apiUrl, key, issuer, { owner: 'octo-org', repositories: [], ...target });
}

describe('the requests made', () => {
  test('with installation-id: one POST for the token, with an empty body when nothing narrows it', async () => {
    const emulator = await startEmulator();
    await exchange(emulator.url, { installationId: 42 }).run();
    expect(sent(emulator.requests)).toEqual(['POST /app/installations/42/access_tokens']);
    expect(emulator.requests.map((r) => r.body)).toEqual([{}]);
  });

  test('with installation-id, repositories and permissions go in the POST body, unchecked beforehand', async () => {
    const emulator = await startEmulator();
    const target = { installationId: 42, repositories: ['app', 'web'], permissions: { contents: 'write' as const } };
    await exchange(emulator.url, target).run();
    expect(sent(emulator.requests)).toEqual(['POST /app/installations/42/access_tokens']);
    expect(emulator.requests.map((r) => r.body)).toEqual([
      { repositories: ['app', 'web'], permissions: { contents: 'write' } },
    ]);
  });

  test('with repositories: the installation is found on the first one, then the token asked for all of them', async () => {
    const emulator = await startEmulator();
    await exchange(emulator.url, { repositories: ['app', 'web'] }).run();
    expect(sent(emulator.requests)).toEqual([
      'GET /repos/octo-org/app/installation',
      'POST /app/installations/42/access_tokens',
    ]);
    expect(emulator.requests.map((r) => r.body)).toEqual([undefined, { repositories: ['app', 'web'] }]);
    expect(emulator.requests.map((r) => r.headers.authorization)).toEqual([
      expect.stringMatching(/^Bearer ey/),
      expect.stringMatching(/^Bearer ey/),
    ]);
  });

  test("with only an owner: the owner's installation is found, and the token covers all it can reach", async () => {
    const emulator = await startEmulator();
    await exchange(emulator.url, {}).run();
    expect(sent(emulator.requests)).toEqual([
      'GET /users/octo-org/installation',
      'POST /app/installations/42/access_tokens',
    ]);
    expect(emulator.requests.map((r) => r.body)).toEqual([undefined, {}]);
  });

  test('on GitHub Enterprise Server every request stays under /api/v3', async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    await exchange(emulator.url, { repositories: ['app'] }).run();
    expect(sent(emulator.requests)).toEqual([
      'GET /api/v3/repos/octo-org/app/installation',
      'POST /api/v3/app/installations/42/access_tokens',
    ]);
  });

  test('a clock-skew rejection on the lookup corrects the clock for the token request too', async () => {
    const emulator = await startEmulator({ clockOffsetSeconds: 900 });
    emulator.fail('GET /repos/:owner/:repo/installation', githubError(401, MESSAGES.jwtExpired, serverDate(900)));
    const api = exchange(emulator.url, { repositories: ['app'] });
    await api.run();
    expect(sent(emulator.requests)).toEqual([
      'GET /repos/octo-org/app/installation',
      'GET /repos/octo-org/app/installation',
      'POST /app/installations/42/access_tokens',
    ]);
    expect(bearerClaims(emulator.requests[2]).iat).toBe(LOCAL_S + 900 - 60);
    expect(infoLines(api.log)).toEqual([
      "GitHub's clock is 900 s ahead of the runner's: signing again by GitHub's time, for this and every later request.",
    ]);
  });
});

describe('permissions are checked against the installation before the token is asked for', () => {
  test('a permission the installation lacks, or has at a lower level, stops the run before the POST', async () => {
    const emulator = await startEmulator();
    const target = {
      owner: 'mona',
      repositories: ['dotfiles'],
      permissions: { contents: 'write', pull_requests: 'write' },
    };
    const error = await rejectionOf(
      exchange(emulator.url, target as Partial<InstallationTarget>).run(),
      GitHubApiError,
    );
    expect(error.message).toBe(
      'Stopped before asking for a token on mona, since GitHub would refuse it. ' +
        'The installation does not grant contents: write (it grants contents: read) or pull_requests: write (it grants no pull_requests access). ' +
        'Granted: contents: read, metadata: read. ' +
        "Ask an owner of the account to accept the app's new permissions on the installation's settings page " +
        '(if the app\'s settings do not ask for these permissions yet, add them under "Permissions & events" first; ' +
        'that sends the owner the request), or request less.',
    );
    expect(error.status).toBeUndefined();
    expect(sent(emulator.requests)).toEqual(['GET /repos/mona/dotfiles/installation']);
  });

  test('a permission granted at a higher level than asked passes, and the token is asked for', async () => {
    const emulator = await startEmulator();
    await exchange(emulator.url, { repositories: ['app'], permissions: { contents: 'read', issues: 'read' } }).run();
    expect(emulator.requests.map((r) => r.body)).toEqual([
      undefined,
      { repositories: ['app'], permissions: { contents: 'read', issues: 'read' } },
    ]);
  });
});

describe('what a failure says', () => {
  test.each([
    ['the lookup', { repositories: ['app'] }, 'Finding the installation on octo-org/app'],
    ['the token request', { installationId: 42 }, 'Creating a token for installation 42'],
  ])('a key from another app (401) on %s: the key does not belong to the app', async (_where, target, action) => {
    const emulator = await startEmulator();
    const error = await rejectionOf(exchange(emulator.url, target, { key: otherKeyPem }).run(), GitHubApiError);
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `${action} failed: GitHub could not verify the JWT (401 "${MESSAGES.jwtUndecodable}"). The private key does not belong to app ${app.id}, or app-id and private-key are from different apps. Generate a key on that app's settings page and store it in the secret; keys deleted there stop working at once.`,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test.each([
    ['the lookup', { repositories: ['app'] }, 'Finding the installation on octo-org/app'],
    ['the token request', { installationId: 42 }, 'Creating a token for installation 42'],
  ])('an unknown app (404 Integration not found) on %s: check app-id', async (_where, target, action) => {
    const emulator = await startEmulator();
    const error = await rejectionOf(exchange(emulator.url, target, { issuer: 123456 }).run(), GitHubApiError);
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `${action} failed: there is no GitHub App with ID 123456 at ${emulator.url} (404 "Integration not found"). Check app-id: it is the App ID or Client ID on the app's settings page, not an installation ID. For GitHub Enterprise Server, set github-api-url to https://HOST/api/v3.`,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test('not installed on the repository: GET /app gives the slug for an install link', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'stranger', repositories: ['app', 'web'] }).run(),
      GitHubApiError,
    );
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'The app octo-app is not installed on stranger/app, or that repository does not exist (GET /repos/stranger/app/installation answered 404). Install it from https://github.com/apps/octo-app/installations/new and give it access to stranger/app. To use an installation on another account, set owner (and repositories).',
    );
    expect(sent(emulator.requests)).toEqual(['GET /repos/stranger/app/installation', 'GET /app']);
  });

  test('a 404 page that is not the API: github-api-url is named, with the GHES form, and nothing more is asked', async () => {
    const emulator = await startEmulator();
    emulator.fail('GET /users/:username/installation', {
      status: 404,
      body: '<html><body>Not Found</body></html>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const error = await rejectionOf(exchange(emulator.url, {}).run(), GitHubApiError);
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `GET /users/octo-org/installation answered 404 with a page that is not GitHub's API: github-api-url '${emulator.url}' is not a GitHub REST API base. For GitHub Enterprise Server it is https://HOST/api/v3.`,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test('not installed on the owner: the install link is for the account', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(exchange(emulator.url, { owner: 'stranger' }).run(), GitHubApiError);
    expect(error.message).toBe(
      'The app octo-app is not installed on stranger (GET /users/stranger/installation answered 404). Install it from https://github.com/apps/octo-app/installations/new on stranger. To use an installation on another account, set owner (and repositories).',
    );
    expect(sent(emulator.requests)).toEqual(['GET /users/stranger/installation', 'GET /app']);
  });

  test.each([
    ['answers 500 on every attempt', [SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, SERVER_ERROR], 4],
    ['cannot be reached', ['reset', 'reset', 'reset', 'reset'] as const, 4],
    ['answers without a slug', [{ status: 200, body: { id: app.id } }], 1],
  ])('not installed, and GET /app %s: the message points to the public page instead', async (_how, answers, tries) => {
    const emulator = await startEmulator();
    emulator.fail('GET /app', ...answers);
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'stranger', repositories: ['app'] }).run(),
      GitHubApiError,
    );
    expect(error.message).toBe(
      "The app is not installed on stranger/app, or that repository does not exist (GET /repos/stranger/app/installation answered 404). Install it from the app's public page and give it access to stranger/app. To use an installation on another account, set owner (and repositories).",
    );
    expect(sent(emulator.requests)).toEqual(['GET /repos/stranger/app/installation', ...Array(tries).fill('GET /app')]);
  });

  test('a repository the installation cannot reach (422): names them, the owner, and the settings page', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(exchange(emulator.url, { repositories: ['app', 'ghost'] }).run(), GitHubApiError);
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      `Creating a token for installation 42 failed: GitHub answered 422 "${MESSAGES.repositoriesNotAccessible}". One of the repositories (app, ghost) does not exist on octo-org or is not among those the installation can reach; names are matched within owner 'octo-org'. The installation's settings list what it can reach: https://github.com/organizations/octo-org/settings/installations/42`,
    );
    expect(sent(emulator.requests)).toEqual([
      'GET /repos/octo-org/app/installation',
      'POST /app/installations/42/access_tokens',
    ]);
  });

  test('with installation-id, a 422 for repositories has no settings link, since the account is unknown', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(
      exchange(emulator.url, { installationId: 42, repositories: ['ghost'] }).run(),
      GitHubApiError,
    );
    expect(error.message).toBe(
      `Creating a token for installation 42 failed: GitHub answered 422 "${MESSAGES.repositoriesNotAccessible}". One of the repositories (ghost) does not exist on octo-org or is not among those the installation can reach; names are matched within owner 'octo-org'.`,
    );
  });

  test.each([MESSAGES.permissionsNotGranted, MESSAGES.permissionLevelNotGranted])(
    'a permission refused (422 "%s"): what was requested, what the installation grants, and the fix',
    async (message) => {
      const emulator = await startEmulator();
      // The lookup shows contents: write granted; GitHub refuses it all the same (the grant changed meanwhile).
      emulator.fail(TOKEN_ROUTE, githubError(422, message));
      const error = await rejectionOf(
        exchange(emulator.url, { repositories: ['app'], permissions: { contents: 'write' } }).run(),
        GitHubApiError,
      );
      expect(error.status).toBe(422);
      expect(error.message).toBe(
        `Creating a token for installation 42 failed: GitHub answered 422 "${message}". Requested: contents: write. It grants: contents: write, issues: read, metadata: read. Request only what the app has been granted, or change the app's permissions and have the owner accept them. The installation's settings list what it can reach: https://github.com/organizations/octo-org/settings/installations/42`,
      );
    },
  );

  test.each([
    [{ pull_requests: 'write' as const }, MESSAGES.permissionsNotGranted, 'pull_requests: write'],
    [{ issues: 'write' as const }, MESSAGES.permissionLevelNotGranted, 'issues: write'],
  ])(
    'with installation-id, a refused permission (%j) names what was requested, with no grant list to show',
    async (permissions, message, requested) => {
      const emulator = await startEmulator();
      const error = await rejectionOf(
        exchange(emulator.url, { installationId: 42, permissions }).run(),
        GitHubApiError,
      );
      expect(error.message).toBe(
        `Creating a token for installation 42 failed: GitHub answered 422 "${message}". Requested: ${requested}. Request only what the app has been granted, or change the app's permissions and have the owner accept them.`,
      );
      expect(sent(emulator.requests)).toEqual(['POST /app/installations/42/access_tokens']);
    },
  );

  test('an installation-id the app does not have (404): check installation-id or let the action look it up', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(exchange(emulator.url, { installationId: 99 }).run(), GitHubApiError);
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `Creating a token for installation 99 failed: app ${app.id} has no installation 99 (404 "Not Found"). Check installation-id, or leave it out and set owner (and repositories) so the action looks the installation up.`,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test('a suspended installation (403): an owner can unsuspend it', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(exchange(emulator.url, { owner: 'frozen-org' }).run(), GitHubApiError);
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      `Creating a token for installation 44 failed: the installation is suspended (403 "${MESSAGES.suspended}"). An owner of the account can unsuspend it in the app's installation settings.`,
    );
    expect(sent(emulator.requests)).toEqual([
      'GET /users/frozen-org/installation',
      'POST /app/installations/44/access_tokens',
    ]);
  });

  test.each([
    [
      'the token request',
      { installationId: 42 },
      TOKEN_ROUTE,
      SERVER_ERROR,
      'Creating a token for installation 42 failed: GitHub answered 502 ("Server Error")',
    ],
    [
      'the lookup',
      { repositories: ['app'] },
      'GET /repos/:owner/:repo/installation',
      { status: 503, body: ' upstream connect error \n', headers: { 'content-type': 'text/plain' } },
      'Finding the installation on octo-org/app failed: GitHub answered 503 ("upstream connect error")',
    ],
  ])('a 5xx on %s after the retries: GitHub may be having an incident', async (_where, target, route, answer, said) => {
    const emulator = await startEmulator();
    emulator.fail(route, answer, answer, answer, answer);
    const error = await rejectionOf(exchange(emulator.url, target).run(), GitHubApiError);
    expect(error.status).toBe(answer.status);
    expect(error.message).toBe(
      `${said} after retrying. GitHub may be having an incident (https://www.githubstatus.com); re-run the job later.`,
    );
    expect(emulator.requests).toHaveLength(4);
  });

  test("a JWT still rejected for its times after the correction points at the runner's clock", async () => {
    const emulator = await startEmulator({ clockOffsetSeconds: 900 });
    const rejected = githubError(401, MESSAGES.jwtExpired, serverDate(900));
    emulator.fail('GET /repos/:owner/:repo/installation', rejected, rejected);
    const error = await rejectionOf(exchange(emulator.url, { repositories: ['app'] }).run(), GitHubApiError);
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `Finding the installation on octo-org/app failed: GitHub still rejected the JWT's times after correcting for its clock (401 "${MESSAGES.jwtExpired}"). Check the runner's clock.`,
    );
    expect(emulator.requests).toHaveLength(2);
  });

  test("any other answer is given with its status and GitHub's words", async () => {
    const emulator = await startEmulator();
    emulator.fail(TOKEN_ROUTE, githubError(403, 'Resource not accessible by integration'));
    const error = await rejectionOf(exchange(emulator.url, { installationId: 42 }).run(), GitHubApiError);
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      'Creating a token for installation 42 failed: GitHub answered 403 "Resource not accessible by integration".',
    );
  });
});

describe('a token issued', () => {
  test('after a lookup: the installation as GitHub describes it, and the token with what it covers', async () => {
    const emulator = await startEmulator();
    const run = exchange(emulator.url, { repositories: ['app', 'web'] });
    const issued = await run.run();
    const [token] = emulator.issuedTokens();
    expect(issued).toEqual({
      target: { owner: 'octo-org', repositories: ['app', 'web'] },
      installation: {
        id: 42,
        appSlug: 'octo-app',
        account: { login: 'octo-org', type: 'Organization' },
        permissions: { contents: 'write', issues: 'read', metadata: 'read' },
      },
      granted: {
        token: token.token,
        expiresAt: new Date(token.expiresAt),
        permissions: { contents: 'write', issues: 'read', metadata: 'read' },
        repositories: ['app', 'web'],
      },
    });
  });

  test('the token is masked the moment it arrives, and nothing is revoked', async () => {
    const emulator = await startEmulator();
    const run = exchange(emulator.url, { installationId: 42 });
    const issued = await run.run();
    expect(run.masked).toEqual([issued.granted.token]);
    expect(run.revoked).toEqual([]);
    expect(sent(emulator.requests)).toEqual(['POST /app/installations/42/access_tokens']);
  });

  test('with installation-id: the installation is known by its ID only (no slug, no account)', async () => {
    const emulator = await startEmulator();
    const issued = await exchange(emulator.url, { installationId: 42 }).run();
    expect(issued.installation).toEqual({ id: 42 });
  });

  test('a token for all of the installation lists no repositories', async () => {
    const emulator = await startEmulator();
    const issued = await exchange(emulator.url, {}).run();
    expect(issued.granted.repositories).toBeUndefined();
  });

  test('the account is named as GitHub spells it, whatever the case of owner', async () => {
    const emulator = await startEmulator();
    const issued = await exchange(emulator.url, { owner: 'OCTO-ORG', repositories: ['APP'] }).run();
    expect(issued.installation.account).toEqual({ login: 'octo-org', type: 'Organization' });
    expect(sent(emulator.requests)[0]).toBe('GET /repos/OCTO-ORG/APP/installation');
  });
});

describe('an enterprise installation', () => {
  test('is found under /enterprises, and its token asked for with no repositories', async () => {
    const emulator = await startEmulator();
    const issued = await exchange(emulator.url, { owner: 'octo-ent', enterprise: true }).run();
    expect(sent(emulator.requests)).toEqual([
      'GET /enterprises/octo-ent/installation',
      'POST /app/installations/50/access_tokens',
    ]);
    expect(emulator.requests.map((r) => r.body)).toEqual([undefined, {}]);
    expect(issued.installation).toEqual({
      id: 50,
      appSlug: 'octo-app',
      account: { login: 'octo-ent', type: 'Enterprise' },
      permissions: { enterprise_custom_properties_for_organizations: 'write' },
    });
    expect(issued.granted.permissions).toEqual({ enterprise_custom_properties_for_organizations: 'write' });
  });

  test('its permissions are checked against the installation first, like any other', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'octo-ent', enterprise: true, permissions: { contents: 'read' } }).run(),
      GitHubApiError,
    );
    expect(error.message).toMatch(/^Stopped before asking for a token on octo-ent, since GitHub would refuse it\./);
    expect(sent(emulator.requests)).toEqual(['GET /enterprises/octo-ent/installation']);
  });

  test('not installed on the enterprise (404): who can install it, and where the slug is seen', async () => {
    const emulator = await startEmulator();
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'other-ent', enterprise: true }).run(),
      GitHubApiError,
    );
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'The app is not installed on the enterprise other-ent, or other-ent is not the slug of an enterprise the app can see (GET /enterprises/other-ent/installation answered 404). ' +
        'Only an app owned by the enterprise (or by one of its organizations) can be installed on it: an enterprise owner installs it under Enterprise settings > GitHub Apps. ' +
        "Check the slug in the enterprise's URL (https://github.com/enterprises/SLUG).",
    );
    // No GET /app for an install link: an enterprise app is installed from the enterprise's settings.
    expect(sent(emulator.requests)).toEqual(['GET /enterprises/other-ent/installation']);
  });

  test('an enterprise slug is never looked up as a user, nor a user as an enterprise', async () => {
    const emulator = await startEmulator();
    await rejectionOf(exchange(emulator.url, { owner: 'octo-ent' }).run(), GitHubApiError);
    await rejectionOf(exchange(emulator.url, { owner: 'octo-org', enterprise: true }).run(), GitHubApiError);
    expect(sent(emulator.requests)).toEqual([
      'GET /users/octo-ent/installation',
      'GET /app',
      'GET /enterprises/octo-org/installation',
    ]);
  });

  test.each([
    [403, 'This endpoint is only available to enterprise-owned GitHub Apps'],
    [422, 'The app cannot be installed on an enterprise: it requests no enterprise permissions'],
  ])(
    'an app that is not enterprise-installable (%i on the token request): what such an app must be',
    async (status, message) => {
      const emulator = await startEmulator();
      emulator.fail(TOKEN_ROUTE, githubError(status, message));
      const error = await rejectionOf(
        exchange(emulator.url, { owner: 'octo-ent', enterprise: true }).run(),
        GitHubApiError,
      );
      expect(error.status).toBe(status);
      expect(error.message).toBe(
        `Creating a token for installation 50 failed: GitHub answered ${status} "${message}". The app cannot have a token for the enterprise octo-ent: it must be an enterprise-owned app (owned by the enterprise or one of its organizations), installed by an enterprise owner, with enterprise permissions.`,
      );
    },
  );

  test.each([
    [403, 'Enterprise installations are not available to this app'],
    [422, 'This app is not owned by the enterprise'],
  ])('the same refusal on the lookup (%i) gets the same cause and fix', async (status, message) => {
    const emulator = await startEmulator();
    emulator.fail('GET /enterprises/:enterprise/installation', githubError(status, message));
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'octo-ent', enterprise: true }).run(),
      GitHubApiError,
    );
    expect(error.status).toBe(status);
    expect(error.message).toBe(
      `Finding the installation on the enterprise octo-ent failed: GitHub answered ${status} "${message}". The app cannot have a token for the enterprise octo-ent: it must be an enterprise-owned app (owned by the enterprise or one of its organizations), installed by an enterprise owner, with enterprise permissions.`,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test('a 403 on the lookup that is not about enterprises is told as any other answer', async () => {
    const emulator = await startEmulator();
    emulator.fail(
      'GET /enterprises/:enterprise/installation',
      githubError(403, 'Resource not accessible by integration'),
    );
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'octo-ent', enterprise: true }).run(),
      GitHubApiError,
    );
    expect(error.message).toBe(
      'Finding the installation on the enterprise octo-ent failed: GitHub answered 403 "Resource not accessible by integration".',
    );
  });
});

describe('links on GitHub Enterprise Server and GHE.com', () => {
  test('GHES: the install link is on the server, under /github-apps', async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'stranger', repositories: ['app'] }).run(),
      GitHubApiError,
    );
    const server = new URL(emulator.url).origin;
    expect(error.message).toBe(
      `The app octo-app is not installed on stranger/app, or that repository does not exist (GET /repos/stranger/app/installation answered 404). Install it from ${server}/github-apps/octo-app/installations/new and give it access to stranger/app. To use an installation on another account, set owner (and repositories).`,
    );
    expect(sent(emulator.requests)).toEqual(['GET /api/v3/repos/stranger/app/installation', 'GET /api/v3/app']);
  });

  test("GHES: a user account's installation settings link is on the server", async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    const error = await rejectionOf(
      exchange(emulator.url, { owner: 'mona', repositories: ['dotfiles', 'ghost'] }).run(),
      GitHubApiError,
    );
    expect(error.message).toBe(
      `Creating a token for installation 43 failed: GitHub answered 422 "${MESSAGES.repositoriesNotAccessible}". One of the repositories (dotfiles, ghost) does not exist on mona or is not among those the installation can reach; names are matched within owner 'mona'. The installation's settings list what it can reach: ${new URL(emulator.url).origin}/settings/installations/43`,
    );
  });

  test('GHE.com (api.SUBDOMAIN.ghe.com): the install link is on SUBDOMAIN.ghe.com', async () => {
    const host = 'api.octocorp.ghe.com';
    const emulator = await startEmulator({ urlHost: host });
    const proxy = await startProxy({ hosts: { [host]: '127.0.0.1' } });
    const saved = { http_proxy: process.env.http_proxy, HTTP_PROXY: process.env.HTTP_PROXY };
    // The name resolves nowhere: requests reach the emulator through a proxy that maps it to 127.0.0.1.
    process.env.http_proxy = proxy.url;
    delete process.env.HTTP_PROXY;
    try {
      const error = await rejectionOf(exchange(emulator.url, { owner: 'stranger' }).run(), GitHubApiError);
      expect(error.message).toBe(
        'The app octo-app is not installed on stranger (GET /users/stranger/installation answered 404). Install it from https://octocorp.ghe.com/apps/octo-app/installations/new on stranger. To use an installation on another account, set owner (and repositories).',
      );
      expect(sent(emulator.requests)).toEqual(['GET /users/stranger/installation', 'GET /app']);
      // However many tunnels the client opens, each goes to the GHE.com name.
      expect(new Set(proxy.seen.map((seen) => `${seen.method} ${seen.url}`))).toEqual(
        new Set([`CONNECT ${new URL(emulator.url).host}`]),
      );
    } finally {
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      await proxy.close();
    }
  });
});
