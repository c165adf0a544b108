import { createClock } from '../../src/clock.js';
import { GitHubApiError } from '../../src/providers/github-app-api.js';
import { createInstallationToken, type InstallationTarget } from '../../src/providers/github-installation.js';
import { bearerClaims, signingJwtSource } from '../../test/app-jwt-source.ts';
import { MESSAGES } from '../../test/emulators/github.ts';
import { fakeHttp, type Reply } from '../../test/fake-http.ts';

const API = 'https://api.github.com';
const GHES = 'https://ghe.example.com/api/v3';
const LOCAL_MS = 1_700_000_000_000;
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const INSTALLATION = {
  id: 42,
  app_slug: 'octo-app',
  account: { login: 'octo-org', type: 'Organization' },
  permissions: { contents: 'write', issues: 'read', metadata: 'read' },
};
const ACCESS_TOKEN = {
  token: TOKEN,
  expires_at: '2023-11-14T23:13:20Z',
  permissions: { contents: 'read', metadata: 'read' },
  repositories: [{ name: 'app' }, { name: 'web' }],
};

const found = (body: object = INSTALLATION): Reply => ({ status: 200, body });
const created = (body: object = ACCESS_TOKEN): Reply => ({ status: 201, body });
const github = (status: number, message: string, date?: string): Reply => ({
  status,
  body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
  date,
});

function exchange(target: Partial<InstallationTarget>, script: (Reply | Error)[], apiUrl = API) {
  const clock = createClock(() => LOCAL_MS);
  const fake = fakeHttp(...script);
  const log: string[] = [];
  const run = () =>
    createInstallationToken(
      {
        http: fake.http,
        clock,
        apiUrl,
        jwt: signingJwtSource(clock),
        localMillis: () => LOCAL_MS,
        log: (message) => log.push(message),
        issuer: '123456',
      },
      { owner: 'octo-org', repositories: [], ...target },
    );
  return { run, log, ...fake };
}

/** The JSON body of each request, undefined for a GET. */
const bodies = (requests: { json?: unknown }[]) => requests.map((r) => r.json);

async function failure(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GitHubApiError)) throw new Error(`expected a GitHubApiError, got ${String(error)}`);
  return error;
}

describe('the requests made', () => {
  test('with installation-id: one POST for the token, with an empty body when nothing narrows it', async () => {
    const api = exchange({ installationId: 42 }, [created()]);
    await api.run();
    expect(api.sent()).toEqual(['POST https://api.github.com/app/installations/42/access_tokens']);
    expect(bodies(api.requests)).toEqual([{}]);
  });

  test('with installation-id, repositories and permissions go in the POST body, unchecked beforehand', async () => {
    const api = exchange(
      { installationId: 42, repositories: ['app', 'web'], permissions: { contents: 'write', issues: 'write' } },
      [created()],
    );
    await api.run();
    expect(api.sent()).toEqual(['POST https://api.github.com/app/installations/42/access_tokens']);
    expect(bodies(api.requests)).toEqual([
      { repositories: ['app', 'web'], permissions: { contents: 'write', issues: 'write' } },
    ]);
  });

  test('with repositories: the installation is found on the first one, then the token asked for all of them', async () => {
    const api = exchange({ repositories: ['app', 'web'] }, [found(), created()]);
    await api.run();
    expect(api.sent()).toEqual([
      'GET https://api.github.com/repos/octo-org/app/installation',
      'POST https://api.github.com/app/installations/42/access_tokens',
    ]);
    expect(bodies(api.requests)).toEqual([undefined, { repositories: ['app', 'web'] }]);
    expect(api.requests.map((r) => r.headers?.authorization)).toEqual([
      expect.stringMatching(/^Bearer ey/),
      expect.stringMatching(/^Bearer ey/),
    ]);
  });

  test("with only an owner: the owner's installation is found, and the token covers all it can reach", async () => {
    const api = exchange({}, [found(), created()]);
    await api.run();
    expect(api.sent()).toEqual([
      'GET https://api.github.com/users/octo-org/installation',
      'POST https://api.github.com/app/installations/42/access_tokens',
    ]);
    expect(bodies(api.requests)).toEqual([undefined, {}]);
  });

  test('on GitHub Enterprise Server every request stays under /api/v3', async () => {
    const api = exchange({ repositories: ['app'] }, [found(), created()], GHES);
    await api.run();
    expect(api.sent()).toEqual([
      'GET https://ghe.example.com/api/v3/repos/octo-org/app/installation',
      'POST https://ghe.example.com/api/v3/app/installations/42/access_tokens',
    ]);
  });

  test('a clock-skew rejection on the lookup corrects the clock for the token request too', async () => {
    const ahead = new Date(LOCAL_MS + 300_000).toUTCString();
    const api = exchange({ repositories: ['app'] }, [github(401, MESSAGES.jwtIat, ahead), found(), created()]);
    await api.run();
    expect(api.sent()).toEqual([
      'GET https://api.github.com/repos/octo-org/app/installation',
      'GET https://api.github.com/repos/octo-org/app/installation',
      'POST https://api.github.com/app/installations/42/access_tokens',
    ]);
    expect(bearerClaims(api.requests[2]).iat).toBe(LOCAL_MS / 1000 + 300 - 60);
    expect(api.log).toEqual([expect.stringContaining("GitHub's clock is 300 s ahead of the runner's")]);
  });
});

describe('permissions are checked against the installation before the token is asked for', () => {
  test('a permission the installation lacks, or has at a lower level, stops the run before the POST', async () => {
    const api = exchange({ repositories: ['app'], permissions: { contents: 'write', pull_requests: 'write' } }, [
      found({ ...INSTALLATION, permissions: { contents: 'read', metadata: 'read' } }),
    ]);
    const error = await failure(api.run());
    expect(error.message).toMatch(/^Stopped before asking for a token on octo-org, since GitHub would refuse it\. /);
    expect(error.message).toContain('contents: write (it grants contents: read)');
    expect(error.message).toContain('pull_requests: write (it grants no pull_requests access)');
    expect(error.message).toContain('Granted: contents: read, metadata: read.');
    expect(api.sent()).toEqual(['GET https://api.github.com/repos/octo-org/app/installation']);
  });

  test('a permission granted at a higher level than asked passes, and the token is asked for', async () => {
    const api = exchange({ repositories: ['app'], permissions: { contents: 'read', issues: 'read' } }, [
      found(),
      created(),
    ]);
    await api.run();
    expect(bodies(api.requests)[1]).toEqual({
      repositories: ['app'],
      permissions: { contents: 'read', issues: 'read' },
    });
  });
});

describe('what a failure says', () => {
  test.each([
    ['the lookup', { repositories: ['app'] }, 'Finding the installation on octo-org/app'],
    ['the token request', { installationId: 42 }, 'Creating a token for installation 42'],
  ])('a key from another app (401) on %s: the key does not belong to the app', async (_where, target, action) => {
    const api = exchange(target, [github(401, MESSAGES.jwtUndecodable)]);
    const error = await failure(api.run());
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `${action} failed: GitHub could not verify the JWT (401 "${MESSAGES.jwtUndecodable}"). The private key does not belong to app 123456, or app-id and private-key are from different apps. Generate a key on that app's settings page and store it in the secret; keys deleted there stop working at once.`,
    );
    expect(api.requests).toHaveLength(1);
  });

  test.each([
    ['the lookup', { repositories: ['app'] }, 'Finding the installation on octo-org/app'],
    ['the token request', { installationId: 42 }, 'Creating a token for installation 42'],
  ])('an unknown app (404 Integration not found) on %s: check app-id', async (_where, target, action) => {
    const api = exchange(target, [github(404, MESSAGES.integrationNotFound)]);
    const error = await failure(api.run());
    expect(error.message).toBe(
      `${action} failed: there is no GitHub App with ID 123456 at https://api.github.com (404 "Integration not found"). Check app-id: it is the App ID or Client ID on the app's settings page, not an installation ID. For GitHub Enterprise Server, set github-api-url to https://HOST/api/v3.`,
    );
    expect(api.requests).toHaveLength(1);
  });

  test('not installed on the repository: GET /app gives the slug for an install link', async () => {
    const api = exchange({ repositories: ['app', 'web'] }, [
      github(404, MESSAGES.notFound),
      { status: 200, body: { id: 1, slug: 'octo-app' } },
    ]);
    const error = await failure(api.run());
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'The app octo-app is not installed on octo-org/app, or that repository does not exist (GET /repos/octo-org/app/installation answered 404). Install it from https://github.com/apps/octo-app/installations/new and give it access to octo-org/app. To use an installation on another account, set owner (and repositories).',
    );
    expect(api.sent()).toEqual([
      'GET https://api.github.com/repos/octo-org/app/installation',
      'GET https://api.github.com/app',
    ]);
  });

  test('a 404 page that is not the API: github-api-url is named, with the GHES form, and nothing more is asked', async () => {
    const api = exchange({}, [{ status: 404, body: '<html><body>Not Found</body></html>' }], 'https://ghe.example.com');
    const error = await failure(api.run());
    expect(error.message).toBe(
      "GET /users/octo-org/installation answered 404 with a page that is not GitHub's API: github-api-url 'https://ghe.example.com' is not a GitHub REST API base. For GitHub Enterprise Server it is https://HOST/api/v3.",
    );
    expect(api.requests).toHaveLength(1);
  });

  test('not installed on the owner: the install link is for the account', async () => {
    const api = exchange({}, [github(404, MESSAGES.notFound), { status: 200, body: { slug: 'octo-app' } }]);
    const error = await failure(api.run());
    expect(error.message).toBe(
      'The app octo-app is not installed on octo-org (GET /users/octo-org/installation answered 404). Install it from https://github.com/apps/octo-app/installations/new on octo-org. To use an installation on another account, set owner (and repositories).',
    );
  });

  test.each([
    ['answers 500', { status: 500, body: { message: 'Server Error' } }],
    ['cannot be reached', new Error('GET https://api.github.com/app failed after 4 attempts: connection reset')],
    ['answers without a slug', { status: 200, body: { id: 1 } }],
  ])('not installed, and GET /app %s: the message points to the public page instead', async (_how, appAnswer) => {
    const api = exchange({ repositories: ['app'] }, [github(404, MESSAGES.notFound), appAnswer]);
    const error = await failure(api.run());
    expect(error.message).toBe(
      "The app is not installed on octo-org/app, or that repository does not exist (GET /repos/octo-org/app/installation answered 404). Install it from the app's public page and give it access to octo-org/app. To use an installation on another account, set owner (and repositories).",
    );
    expect(api.requests).toHaveLength(2);
  });

  test('a repository the installation cannot reach (422): names them, the owner, and the settings page', async () => {
    const api = exchange({ repositories: ['app', 'ghost'] }, [
      found(),
      github(422, MESSAGES.repositoriesNotAccessible),
    ]);
    const error = await failure(api.run());
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      `Creating a token for installation 42 failed: GitHub answered 422 "${MESSAGES.repositoriesNotAccessible}". One of the repositories (app, ghost) does not exist on octo-org or is not among those the installation can reach; names are matched within owner 'octo-org'. The installation's settings list what it can reach: https://github.com/organizations/octo-org/settings/installations/42`,
    );
  });

  test('with installation-id, a 422 for repositories has no settings link, since the account is unknown', async () => {
    const api = exchange({ installationId: 42, repositories: ['ghost'] }, [
      github(422, MESSAGES.repositoriesNotAccessible),
    ]);
    const error = await failure(api.run());
    expect(error.message).toContain('One of the repositories (ghost) does not exist on octo-org');
    expect(error.message).not.toContain('settings');
  });

  test.each([MESSAGES.permissionsNotGranted, MESSAGES.permissionLevelNotGranted])(
    'a permission refused (422 "%s"): what was requested, what the installation grants, and the fix',
    async (message) => {
      const api = exchange({ repositories: ['app'], permissions: { contents: 'write' } }, [
        found(),
        github(422, message),
      ]);
      const error = await failure(api.run());
      expect(error.message).toBe(
        `Creating a token for installation 42 failed: GitHub answered 422 "${message}". Requested: contents: write. It grants: contents: write, issues: read, metadata: read. Request only what the app has been granted, or change the app's permissions and have the owner accept them. The installation's settings list what it can reach: https://github.com/organizations/octo-org/settings/installations/42`,
      );
    },
  );

  test('with installation-id, a refused permission names what was requested, with no grant list to show', async () => {
    const api = exchange({ installationId: 42, permissions: { issues: 'write' } }, [
      github(422, MESSAGES.permissionsNotGranted),
    ]);
    const error = await failure(api.run());
    expect(error.message).toBe(
      `Creating a token for installation 42 failed: GitHub answered 422 "${MESSAGES.permissionsNotGranted}". Requested: issues: write. Request only what the app has been granted, or change the app's permissions and have the owner accept them.`,
    );
  });

  test('an installation-id the app does not have (404): check installation-id or let the action look it up', async () => {
    const api = exchange({ installationId: 99 }, [github(404, MESSAGES.notFound)]);
    const error = await failure(api.run());
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'Creating a token for installation 99 failed: app 123456 has no installation 99 (404 "Not Found"). Check installation-id, or leave it out and set owner (and repositories) so the action looks the installation up.',
    );
    expect(api.requests).toHaveLength(1);
  });

  test('a suspended installation (403): an owner can unsuspend it', async () => {
    const api = exchange({ repositories: ['app'] }, [found(), github(403, MESSAGES.suspended)]);
    const error = await failure(api.run());
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      `Creating a token for installation 42 failed: the installation is suspended (403 "${MESSAGES.suspended}"). An owner of the account can unsuspend it in the app's installation settings.`,
    );
  });

  test.each([
    ['the token request', { installationId: 42 }, { status: 502, body: { message: 'Server Error' } }, 'Server Error'],
    [
      'the lookup',
      { repositories: ['app'] },
      { status: 503, body: ' upstream connect error \n' },
      'upstream connect error',
    ],
  ])('a 5xx on %s after the retries: GitHub may be having an incident', async (_where, target, answer, said) => {
    const api = exchange(target, [answer]);
    const error = await failure(api.run());
    expect(error.status).toBe(answer.status);
    expect(error.message).toContain(
      `failed: GitHub answered ${answer.status} ("${said}") after retrying. GitHub may be having an incident (https://www.githubstatus.com); re-run the job later.`,
    );
  });

  test("a JWT still rejected for its times after the correction points at the runner's clock", async () => {
    const ahead = new Date(LOCAL_MS + 300_000).toUTCString();
    const api = exchange({ repositories: ['app'] }, [
      github(401, MESSAGES.jwtIat, ahead),
      github(401, MESSAGES.jwtIat, ahead),
    ]);
    const error = await failure(api.run());
    expect(error.message).toBe(
      `Finding the installation on octo-org/app failed: GitHub still rejected the JWT's times after correcting for its clock (401 "${MESSAGES.jwtIat}"). Check the runner's clock.`,
    );
    expect(api.requests).toHaveLength(2);
  });

  test("any other answer is given with its status and GitHub's words", async () => {
    const api = exchange({ installationId: 42 }, [github(403, 'Resource not accessible by integration')]);
    const error = await failure(api.run());
    expect(error.message).toBe(
      'Creating a token for installation 42 failed: GitHub answered 403 "Resource not accessible by integration".',
    );
  });
});

describe('a token issued', () => {
  test('after a lookup: the token is the only secret; outputs and summary say what it covers', async () => {
    const credentials = await exchange({ repositories: ['app', 'web'] }, [found(), created()]).run();
    expect(credentials).toEqual({
      token: TOKEN,
      tokenType: 'installation',
      expiresAt: new Date('2023-11-14T23:13:20Z'),
      secrets: [TOKEN],
      outputs: {
        'installation-id': '42',
        permissions: '{"contents":"read","metadata":"read"}',
        'app-slug': 'octo-app',
      },
      summary: [
        ['Installation', '42 on octo-org'],
        ['Repositories', 'octo-org/app, octo-org/web'],
        ['Permissions', 'contents: read, metadata: read'],
        ['Token expires', '2023-11-14T23:13:20.000Z'],
      ],
    });
  });

  test('with installation-id: no app-slug output, and the installation is named without its account', async () => {
    const credentials = await exchange({ installationId: 42 }, [created()]).run();
    expect(Object.keys(credentials.outputs)).toEqual(['installation-id', 'permissions']);
    expect(credentials.summary[0]).toEqual(['Installation', '42']);
  });

  test('a token for all of the installation says so in the summary', async () => {
    const everywhere = { ...ACCESS_TOKEN, repositories: undefined };
    const credentials = await exchange({}, [found(), created(everywhere)]).run();
    expect(credentials.summary[1]).toEqual(['Repositories', 'every repository the installation can reach']);
  });
});

describe('links on GitHub Enterprise Server', () => {
  test('the install link is on the server, under /github-apps', async () => {
    const api = exchange(
      { repositories: ['app'] },
      [github(404, MESSAGES.notFound), { status: 200, body: { slug: 'octo-app' } }],
      GHES,
    );
    const error = await failure(api.run());
    expect(error.message).toContain(
      'Install it from https://ghe.example.com/github-apps/octo-app/installations/new and give it access to octo-org/app.',
    );
    expect(api.sent()[1]).toBe('GET https://ghe.example.com/api/v3/app');
  });

  test("a user account's installation settings link is on the server", async () => {
    const api = exchange(
      { owner: 'mona', repositories: ['app'] },
      [
        found({ ...INSTALLATION, account: { login: 'mona', type: 'User' } }),
        github(422, MESSAGES.repositoriesNotAccessible),
      ],
      GHES,
    );
    const error = await failure(api.run());
    expect(error.message).toMatch(/list what it can reach: https:\/\/ghe\.example\.com\/settings\/installations\/42$/);
  });
});
