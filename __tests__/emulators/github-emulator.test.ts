import { createPrivateKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  botUserId,
  GITHUB_APP_PERMISSIONS,
  MESSAGES,
  makeTestApp,
  repositoryId,
  signTestJwt,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
  type GitHubEmulatorOptions,
} from '../../test/emulators/github.ts';

const REST_DOCS = 'https://docs.github.com/rest';
const APPS_DOCS = 'https://docs.github.com/rest/apps/apps';
const TOKEN_DOCS = `${APPS_DOCS}#create-an-installation-access-token-for-an-app`;

const { app, privateKeyPem } = makeTestApp({
  id: 4242,
  slug: 'octo-app',
  name: 'Octo App',
  owner: 'octo-org',
  permissions: { contents: 'write', issues: 'write', metadata: 'read' },
  events: ['push'],
});
const { app: otherApp, privateKeyPem: otherKeyPem } = makeTestApp();

function installations(): EmulatedInstallation[] {
  return [
    {
      id: 11,
      appId: app.id,
      account: { login: 'octo-org', type: 'Organization' },
      repositorySelection: 'selected',
      repositories: ['api', 'web', 'docs'],
      permissions: { contents: 'write', issues: 'read', metadata: 'read' },
    },
    {
      id: 12,
      appId: app.id,
      account: { login: 'mona', type: 'User' },
      repositorySelection: 'all',
      repositories: ['dotfiles', 'blog'],
      permissions: { contents: 'read', metadata: 'read' },
    },
    {
      id: 13,
      appId: app.id,
      account: { login: 'frozen-org', type: 'Organization' },
      repositorySelection: 'all',
      repositories: [],
      permissions: { metadata: 'read' },
      suspended: true,
    },
    {
      id: 21,
      appId: otherApp.id,
      account: { login: 'elsewhere', type: 'Organization' },
      repositorySelection: 'all',
      repositories: ['x'],
      permissions: { metadata: 'read' },
    },
  ];
}

const now = () => Math.floor(Date.now() / 1000);

/** A JWT as the action signs it: iat 60 s back, exp 9 minutes ahead, by this machine's clock. */
function appJwt(claims: Record<string, unknown> = {}, key = privateKeyPem): string {
  return jwt.sign({ iat: now() - 60, exp: now() + 540, iss: app.id, ...claims }, key, { algorithm: 'RS256' });
}

let emulator: GitHubEmulator;

async function start(options: Partial<GitHubEmulatorOptions> = {}): Promise<GitHubEmulator> {
  emulator = await startGitHubEmulator({ apps: [app, otherApp], installations: installations(), ...options });
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
});

interface CallOptions {
  auth?: string;
  body?: unknown;
  rawBody?: string;
}

async function call(method: string, path: string, { auth, body, rawBody }: CallOptions = {}) {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (auth) headers.authorization = auth;
  if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(emulator.url + path, {
    method,
    headers,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function githubError(status: number, message: string, documentationUrl = REST_DOCS) {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

async function installationToken(installationId = 11, body?: unknown): Promise<string> {
  const response = await call('POST', `/app/installations/${installationId}/access_tokens`, {
    auth: `Bearer ${appJwt()}`,
    body,
  });
  expect(response.status).toBe(201);
  return response.body.token;
}

describe('app JWT authentication', () => {
  beforeEach(() => start());

  test('GET /app answers with the app for a valid JWT whose iss is the App ID', async () => {
    const response = await call('GET', '/app', { auth: `Bearer ${appJwt()}` });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 4242,
      slug: 'octo-app',
      client_id: app.clientId,
      name: 'Octo App',
      owner: { login: 'octo-org', type: 'Organization' },
      html_url: 'https://github.com/apps/octo-app',
      permissions: { contents: 'write', issues: 'write', metadata: 'read' },
      events: ['push'],
      installations_count: 3,
      created_at: '2024-01-15T10:00:00Z',
      updated_at: '2024-01-15T10:00:00Z',
    });
    expect(typeof response.body.node_id).toBe('string');
  });

  test('every response carries Date, x-github-request-id and a JSON content type', async () => {
    const response = await call('GET', '/app', { auth: `Bearer ${appJwt()}` });
    expect(Math.abs(Date.parse(response.headers.get('date')!) - Date.now())).toBeLessThan(2000);
    expect(response.headers.get('x-github-request-id')).toMatch(
      /^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}$/,
    );
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  test('iss may be the Client ID, or the App ID as a string of digits', async () => {
    expect((await call('GET', '/app', { auth: `Bearer ${appJwt({ iss: app.clientId })}` })).status).toBe(200);
    expect((await call('GET', '/app', { auth: `bearer ${appJwt({ iss: '4242' })}` })).status).toBe(200);
  });

  test('a JWT signed with node:crypto is as good as one from jsonwebtoken', async () => {
    const token = signTestJwt({ iat: now() - 60, exp: now() + 540, iss: app.id }, privateKeyPem);
    expect((await call('GET', '/app', { auth: `Bearer ${token}` })).status).toBe(200);
  });

  test('no Authorization header: 401 Requires authentication', async () => {
    const response = await call('GET', '/app');
    expect(response.status).toBe(401);
    expect(response.body).toEqual(
      githubError(401, 'Requires authentication', `${APPS_DOCS}#get-the-authenticated-app`),
    );
  });

  test.each([
    ['the "token" scheme', () => `token ${appJwt()}`],
    ['another app key', () => `Bearer ${appJwt({}, otherKeyPem)}`],
    ['HS256', () => `Bearer ${jwt.sign({ iat: now() - 60, exp: now() + 540, iss: app.id }, 'secret')}`],
    [
      'alg none',
      () => `Bearer ${signTestJwt({ iat: now(), exp: now() + 60, iss: app.id }, privateKeyPem, { alg: 'none' })}`,
    ],
    ['a string that is no JWT', () => 'Bearer not-a-jwt'],
    ['an installation-style token', () => 'Bearer ghs_abcdefghijklmnopqrstuvwxyz0123456789'],
  ])('%s: 401 A JSON web token could not be decoded', async (_name, auth) => {
    const response = await call('GET', '/app', { auth: auth() });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(githubError(401, 'A JSON web token could not be decoded'));
  });

  test('an iss that names no app: 404 Integration not found', async () => {
    const response = await call('GET', '/app', { auth: `Bearer ${appJwt({ iss: 999 })}` });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(githubError(404, 'Integration not found'));
  });

  test("iat in the future or not an integer: 401 with GitHub's iat message", async () => {
    const message = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    const future = signTestJwt({ iat: now() + 30, exp: now() + 300, iss: app.id }, privateKeyPem);
    const fractional = signTestJwt({ iat: now() - 60.5, exp: now() + 300, iss: app.id }, privateKeyPem);
    const missing = signTestJwt({ exp: now() + 300, iss: app.id }, privateKeyPem);
    for (const token of [future, fractional, missing]) {
      const response = await call('GET', '/app', { auth: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(githubError(401, message));
    }
  });

  test('exp more than 600 s ahead of the server: 401 too far in the future', async () => {
    const response = await call('GET', '/app', { auth: `Bearer ${appJwt({ exp: now() + 610 })}` });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(githubError(401, "'Expiration time' claim ('exp') is too far in the future"));
    expect((await call('GET', '/app', { auth: `Bearer ${appJwt({ exp: now() + 595 })}` })).status).toBe(200);
  });

  test("exp in the past or missing: 401 with GitHub's exp message", async () => {
    const message =
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    const past = appJwt({ iat: now() - 700, exp: now() - 100 });
    const missing = signTestJwt({ iat: now() - 60, iss: app.id }, privateKeyPem);
    for (const token of [past, missing]) {
      const response = await call('GET', '/app', { auth: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(githubError(401, message));
    }
  });
});

describe('the server clock', () => {
  test('clockOffsetSeconds moves the Date header and the JWT checks', async () => {
    await start({ clockOffsetSeconds: -3600 });
    const response = await call('GET', '/app', { auth: `Bearer ${appJwt()}` });
    // Behind by an hour, the server sees our exp as an hour too far ahead (exp is checked before iat).
    expect(response.status).toBe(401);
    expect(response.body.message).toBe(MESSAGES.jwtTooLong);
    expect(Math.abs(Date.parse(response.headers.get('date')!) - (Date.now() - 3_600_000))).toBeLessThan(2000);
    expect(Math.abs(emulator.serverNow() - (now() - 3600))).toBeLessThanOrEqual(1);
  });

  test('setClockOffset: a server ahead by 20 minutes finds the JWT expired; back in step it is fine', async () => {
    await start();
    const token = appJwt();
    emulator.setClockOffset(1200);
    const ahead = await call('GET', '/app', { auth: `Bearer ${token}` });
    expect(ahead.status).toBe(401);
    expect(ahead.body.message).toBe(MESSAGES.jwtExpired);
    expect(Math.abs(Date.parse(ahead.headers.get('date')!) - (Date.now() + 1_200_000))).toBeLessThan(2000);
    emulator.setClockOffset(0);
    expect((await call('GET', '/app', { auth: `Bearer ${token}` })).status).toBe(200);
  });

  test('a server 90 s behind sees iat 30 s in the future when exp is short', async () => {
    await start({ clockOffsetSeconds: -90 });
    const response = await call('GET', '/app', { auth: `Bearer ${appJwt({ exp: now() + 120 })}` });
    expect(response.status).toBe(401);
    expect(response.body.message).toBe(MESSAGES.jwtIat);
  });
});

describe('installation lookups', () => {
  beforeEach(() => start());
  const auth = () => `Bearer ${appJwt()}`;

  test('GET /repos/{owner}/{repo}/installation finds the installation, matching names without case', async () => {
    const response = await call('GET', '/repos/Octo-Org/API/installation', { auth: auth() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 11,
      app_id: 4242,
      app_slug: 'octo-app',
      client_id: app.clientId,
      account: { login: 'octo-org', type: 'Organization' },
      target_type: 'Organization',
      repository_selection: 'selected',
      permissions: { contents: 'write', issues: 'read', metadata: 'read' },
      access_tokens_url: `${emulator.url}/app/installations/11/access_tokens`,
      html_url: 'https://github.com/organizations/octo-org/settings/installations/11',
      suspended_at: null,
      suspended_by: null,
    });
    expect(response.body.target_id).toBe(response.body.account.id);
  });

  test('a repository outside a selected installation: 404 Not Found with the endpoint docs', async () => {
    const response = await call('GET', '/repos/octo-org/secret/installation', { auth: auth() });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(
      githubError(404, 'Not Found', `${APPS_DOCS}#get-a-repository-installation-for-the-authenticated-app`),
    );
  });

  test('with repository selection "all", any repository of the account is covered', async () => {
    const response = await call('GET', '/repos/mona/anything/installation', { auth: auth() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 12,
      repository_selection: 'all',
      html_url: 'https://github.com/settings/installations/12',
    });
  });

  test('GET /users/{username}/installation finds user and organization installations', async () => {
    expect((await call('GET', '/users/mona/installation', { auth: auth() })).body.id).toBe(12);
    expect((await call('GET', '/users/OCTO-ORG/installation', { auth: auth() })).body.id).toBe(11);
    const missing = await call('GET', '/users/nobody/installation', { auth: auth() });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(
      githubError(404, 'Not Found', `${APPS_DOCS}#get-a-user-installation-for-the-authenticated-app`),
    );
  });

  test('GET /orgs/{org}/installation finds organizations only', async () => {
    expect((await call('GET', '/orgs/octo-org/installation', { auth: auth() })).body.id).toBe(11);
    const user = await call('GET', '/orgs/mona/installation', { auth: auth() });
    expect(user.status).toBe(404);
    expect(user.body).toEqual(
      githubError(404, 'Not Found', `${APPS_DOCS}#get-an-organization-installation-for-the-authenticated-app`),
    );
  });

  test("GET /app/installations/{id} shows only this app's installations", async () => {
    const own = await call('GET', '/app/installations/13', { auth: auth() });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: 13, suspended_at: '2024-01-15T10:00:00Z' });
    const foreign = await call('GET', '/app/installations/21', { auth: auth() });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(
      githubError(404, 'Not Found', `${APPS_DOCS}#get-an-installation-for-the-authenticated-app`),
    );
    expect((await call('GET', '/repos/elsewhere/x/installation', { auth: auth() })).status).toBe(404);
  });

  test('lookups need the app JWT too', async () => {
    const response = await call('GET', '/repos/octo-org/api/installation', { auth: 'token ghs_whatever' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(githubError(401, 'A JSON web token could not be decoded'));
  });
});

describe('POST /app/installations/{id}/access_tokens', () => {
  beforeEach(() => start());
  const create = (installationId: number, body?: unknown, auth = `Bearer ${appJwt()}`) =>
    call('POST', `/app/installations/${installationId}/access_tokens`, { auth, body });

  test("without a body: 201, all of the installation's permissions, an hour by the server clock", async () => {
    emulator.setClockOffset(120);
    const response = await create(11);
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['expires_at', 'permissions', 'repository_selection', 'token']);
    expect(response.body.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(response.body.permissions).toEqual({ contents: 'write', issues: 'read', metadata: 'read' });
    expect(response.body.repository_selection).toBe('selected');
    expect(response.body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(response.body.expires_at) / 1000 - (now() + 120 + 3600))).toBeLessThanOrEqual(1);
    expect(emulator.issuedTokens()).toEqual([
      {
        token: response.body.token,
        installationId: 11,
        expiresAt: response.body.expires_at,
        revoked: false,
        permissions: { contents: 'write', issues: 'read', metadata: 'read' },
        repositories: undefined,
      },
    ]);
  });

  test('narrower permissions are granted, with metadata:read added as GitHub does', async () => {
    const response = await create(11, { permissions: { issues: 'read' } });
    expect(response.status).toBe(201);
    expect(response.body.permissions).toEqual({ issues: 'read', metadata: 'read' });
  });

  test("a permission above the installation's level: 422 level of access not granted", async () => {
    const response = await create(11, { permissions: { issues: 'write' } });
    expect(response.status).toBe(422);
    expect(response.body).toEqual(
      githubError(
        422,
        'The level of access for permissions requested are not granted to this installation.',
        TOKEN_DOCS,
      ),
    );
  });

  test.each([
    ['a permission the installation lacks', { pull_requests: 'read' }],
    ['an unknown permission name', { 'pull-requests': 'write' }],
    ['a level the permission does not have', { contents: 'admin' }],
  ])('%s: 422 permissions not granted', async (_name, permissions) => {
    const response = await create(11, { permissions });
    expect(response.status).toBe(422);
    expect(response.body).toEqual(
      githubError(422, 'The permissions requested are not granted to this installation.', TOKEN_DOCS),
    );
  });

  test('named repositories limit the token and are listed in the response', async () => {
    const response = await create(11, { repositories: ['API', 'web'] });
    expect(response.status).toBe(201);
    expect(response.body.repository_selection).toBe('selected');
    expect(response.body.repositories).toEqual([
      expect.objectContaining({ id: repositoryId('octo-org', 'api'), name: 'api', full_name: 'octo-org/api' }),
      expect.objectContaining({ id: repositoryId('octo-org', 'web'), name: 'web', full_name: 'octo-org/web' }),
    ]);
    expect(emulator.issuedTokens()[0].repositories).toEqual(['api', 'web']);
  });

  test('repository_ids work like names', async () => {
    const response = await create(11, { repository_ids: [repositoryId('octo-org', 'docs')] });
    expect(response.status).toBe(201);
    expect(response.body.repositories.map((r: { name: string }) => r.name)).toEqual(['docs']);
  });

  test.each([
    ['a repository outside the installation', { repositories: ['api', 'secret'] }],
    ['a full name instead of a name', { repositories: ['octo-org/api'] }],
    ['an unknown repository id', { repository_ids: [1] }],
  ])('%s: 422 not accessible to the parent installation', async (_name, body) => {
    const response = await create(11, body);
    expect(response.status).toBe(422);
    expect(response.body).toEqual(
      githubError(
        422,
        'There is at least one repository that does not exist or is not accessible to the parent installation.',
        TOKEN_DOCS,
      ),
    );
  });

  test('with repository selection "all", any repository name of the account can be asked for', async () => {
    const response = await create(12, { repositories: ['new-repo'] });
    expect(response.status).toBe(201);
    expect(response.body.repositories[0]).toMatchObject({ name: 'new-repo', full_name: 'mona/new-repo' });
  });

  test('a suspended installation: 403 This installation has been suspended', async () => {
    const response = await create(13);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(githubError(403, 'This installation has been suspended', TOKEN_DOCS));
  });

  test("an installation that is not this app's: 404 Not Found", async () => {
    for (const id of [21, 999]) {
      const response = await create(id);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(githubError(404, 'Not Found', TOKEN_DOCS));
    }
  });

  test('a body that is not JSON: 400 Problems parsing JSON', async () => {
    const response = await call('POST', '/app/installations/11/access_tokens', {
      auth: `Bearer ${appJwt()}`,
      rawBody: '{"permissions":',
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(githubError(400, 'Problems parsing JSON', TOKEN_DOCS));
  });

  test('a repositories field that is not a list: 422 Invalid request', async () => {
    const response = await create(11, { repositories: 'api' });
    expect(response.status).toBe(422);
    expect(response.body.message).toBe(
      `Invalid request.\n\nFor 'properties/repositories', "api" is not an array of strings.`,
    );
  });

  test('the JWT is checked before anything else', async () => {
    const response = await create(11, { permissions: { issues: 'write' } }, `Bearer ${appJwt({ exp: now() + 900 })}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(githubError(401, MESSAGES.jwtTooLong));
  });

  test('installations are read live: suspending one between requests takes effect', async () => {
    await emulator.close();
    const live = installations();
    await start({ installations: live });
    expect((await create(11)).status).toBe(201);
    live[0].suspended = true;
    expect((await create(11)).status).toBe(403);
  });
});

describe('installation token authentication', () => {
  beforeEach(() => start());

  test('GET /installation/repositories lists what the token covers, with "token" or "Bearer"', async () => {
    const narrow = await installationToken(11, { repositories: ['web'] });
    const whole = await installationToken(11);
    const limited = await call('GET', '/installation/repositories', { auth: `token ${narrow}` });
    expect(limited.status).toBe(200);
    expect(limited.body).toEqual({
      total_count: 1,
      repository_selection: 'selected',
      repositories: [
        expect.objectContaining({
          id: repositoryId('octo-org', 'web'),
          name: 'web',
          full_name: 'octo-org/web',
          owner: expect.objectContaining({ login: 'octo-org' }),
        }),
      ],
    });
    const all = await call('GET', '/installation/repositories', { auth: `Bearer ${whole}` });
    expect(all.body.total_count).toBe(3);
    expect(all.body.repositories.map((r: { name: string }) => r.name)).toEqual(['api', 'web', 'docs']);
  });

  test('GET /installation/repositories pages with per_page and a Link header', async () => {
    const token = await installationToken(11);
    const first = await call('GET', '/installation/repositories?per_page=2', { auth: `token ${token}` });
    expect(first.body.repositories.map((r: { name: string }) => r.name)).toEqual(['api', 'web']);
    expect(first.headers.get('link')).toBe(
      `<${emulator.url}/installation/repositories?per_page=2&page=2>; rel="next", ` +
        `<${emulator.url}/installation/repositories?per_page=2&page=2>; rel="last"`,
    );
    const second = await call('GET', '/installation/repositories?per_page=2&page=2', { auth: `token ${token}` });
    expect(second.body.repositories.map((r: { name: string }) => r.name)).toEqual(['docs']);
    expect(second.body.total_count).toBe(3);
  });

  test('DELETE /installation/token: 204, then the token is Bad credentials', async () => {
    const token = await installationToken(11);
    const revoke = await call('DELETE', '/installation/token', { auth: `token ${token}` });
    expect(revoke.status).toBe(204);
    expect(revoke.body).toBeUndefined();
    expect(emulator.issuedTokens()[0].revoked).toBe(true);
    for (const [method, path] of [
      ['GET', '/installation/repositories'],
      ['DELETE', '/installation/token'],
    ]) {
      const response = await call(method, path, { auth: `token ${token}` });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Bad credentials', documentation_url: REST_DOCS, status: '401' });
    }
  });

  test('expireToken: the token is Bad credentials afterwards', async () => {
    const token = await installationToken(11);
    emulator.expireToken(token);
    const response = await call('GET', '/installation/repositories', { auth: `token ${token}` });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(githubError(401, 'Bad credentials'));
    expect(() => emulator.expireToken('ghs_never_issued')).toThrow('never issued');
  });

  test('a token past its hour, by the server clock, is Bad credentials', async () => {
    const token = await installationToken(11);
    emulator.setClockOffset(3601);
    expect((await call('GET', '/installation/repositories', { auth: `token ${token}` })).status).toBe(401);
  });

  test('an unknown token, or none: 401', async () => {
    const unknown = await call('GET', '/installation/repositories', { auth: 'token ghs_unknown' });
    expect(unknown.body).toEqual(githubError(401, 'Bad credentials'));
    const none = await call('GET', '/installation/repositories');
    expect(none.status).toBe(401);
    expect(none.body).toEqual(
      githubError(
        401,
        'Requires authentication',
        'https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation',
      ),
    );
  });

  test("the app JWT on installation endpoints: 403 with GitHub's explanation", async () => {
    const list = await call('GET', '/installation/repositories', { auth: `Bearer ${appJwt()}` });
    expect(list.status).toBe(403);
    expect(list.body).toEqual(
      githubError(
        403,
        'You must authenticate with an installation access token in order to list repositories for an installation.',
        'https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation',
      ),
    );
    const revoke = await call('DELETE', '/installation/token', { auth: `Bearer ${appJwt()}` });
    expect(revoke.status).toBe(403);
    expect(revoke.body.message).toBe('You must authenticate with an installation access token in order to revoke it');
    const badJwt = await call('DELETE', '/installation/token', { auth: `Bearer ${appJwt({}, otherKeyPem)}` });
    expect(badJwt.body).toEqual(githubError(401, MESSAGES.jwtUndecodable));
  });

  test('an installation token on GET /app: 401 A JSON web token could not be decoded', async () => {
    const token = await installationToken(11);
    const response = await call('GET', '/app', { auth: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(githubError(401, 'A JSON web token could not be decoded'));
  });
});

describe('routing', () => {
  test('an unknown route, or a known path with another method: 404 Not Found', async () => {
    await start();
    for (const [method, path] of [
      ['GET', '/nothing/here'],
      ['POST', '/app'],
      ['GET', '/app/installations/11/access_tokens'],
      ['PUT', '/installation/token'],
    ]) {
      const response = await call(method, path, { auth: `Bearer ${appJwt()}` });
      expect(response.status).toBe(404);
      expect(response.body).toEqual(githubError(404, 'Not Found'));
    }
  });

  test('pathPrefix: routes live under it, html_url points at the server, the rest is 404', async () => {
    await start({ pathPrefix: '/api/v3/' });
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    const appResponse = await call('GET', '/app', { auth: `Bearer ${appJwt()}` });
    expect(appResponse.status).toBe(200);
    expect(appResponse.body.html_url).toBe(`${emulator.htmlUrl}/apps/octo-app`);
    expect(emulator.htmlUrl).toBe(emulator.url.replace(/\/api\/v3$/, ''));
    const outside = await fetch(`${emulator.htmlUrl}/app`, { headers: { authorization: `Bearer ${appJwt()}` } });
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual(
      githubError(404, 'Not Found', 'https://docs.github.com/enterprise-server@3.17/rest'),
    );
    expect(emulator.requests.map((r) => r.path)).toEqual(['/api/v3/app', '/app']);
  });
});

describe('latency and scripted faults', () => {
  test('latencyMs delays every response; setLatency changes it', async () => {
    await start({ latencyMs: 300 });
    let started = Date.now();
    await call('GET', '/app', { auth: `Bearer ${appJwt()}` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    emulator.setLatency(0);
    started = Date.now();
    await call('GET', '/app', { auth: `Bearer ${appJwt()}` });
    expect(Date.now() - started).toBeLessThan(250);
  });

  test('fail(): scripted responses come first, in order, for paths matching the pattern', async () => {
    await start();
    emulator.fail(
      'POST /app/installations/:id/access_tokens',
      { status: 502, body: { message: 'Server Error' } },
      { status: 429, body: githubError(429, 'API rate limit exceeded'), headers: { 'retry-after': '7' } },
    );
    expect(emulator.pendingFaults()).toBe(2);
    expect((await call('GET', '/app', { auth: `Bearer ${appJwt()}` })).status).toBe(200);
    const first = await call('POST', '/app/installations/11/access_tokens', { auth: `Bearer ${appJwt()}` });
    expect(first.status).toBe(502);
    expect(first.body).toEqual({ message: 'Server Error' });
    expect(first.headers.get('x-github-request-id')).toBeTruthy();
    const second = await call('POST', '/app/installations/12/access_tokens', { auth: `Bearer ${appJwt()}` });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('7');
    expect((await call('POST', '/app/installations/11/access_tokens', { auth: `Bearer ${appJwt()}` })).status).toBe(
      201,
    );
    expect(emulator.pendingFaults()).toBe(0);
  });

  test("fail() with 'reset' destroys the socket: fetch fails with a network error", async () => {
    await start();
    emulator.fail('GET /app', 'reset');
    await expect(fetch(`${emulator.url}/app`, { headers: { authorization: `Bearer ${appJwt()}` } })).rejects.toThrow(
      'fetch failed',
    );
    expect((await call('GET', '/app', { auth: `Bearer ${appJwt()}` })).status).toBe(200);
    expect(() => emulator.fail('/app', 'reset')).toThrow("is not 'METHOD /path'");
  });
});

describe('recorded requests', () => {
  test('method, full path, matched route, parsed body and headers of every request', async () => {
    await start({ pathPrefix: '/api/v3' });
    const auth = `Bearer ${appJwt()}`;
    await call('POST', '/app/installations/11/access_tokens?x=1', { auth, body: { permissions: { issues: 'read' } } });
    await call('GET', '/nowhere');
    await call('POST', '/app/installations/11/access_tokens', { auth, rawBody: 'not json' });
    expect(emulator.requests).toEqual([
      {
        method: 'POST',
        path: '/api/v3/app/installations/11/access_tokens?x=1',
        route: 'POST /app/installations/:installation_id/access_tokens',
        body: { permissions: { issues: 'read' } },
        headers: expect.objectContaining({ authorization: auth, accept: 'application/vnd.github+json' }),
      },
      { method: 'GET', path: '/api/v3/nowhere', route: undefined, body: undefined, headers: expect.any(Object) },
      expect.objectContaining({ body: 'not json' }),
    ]);
  });
});

describe('makeTestApp', () => {
  test('makes a 2048-bit RSA key as a PKCS#1 PEM, and an app that accepts JWTs signed with it', async () => {
    const made = makeTestApp();
    expect(made.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    expect(createPrivateKey(made.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(made.app.clientId).toMatch(/^Iv23[A-Za-z0-9]{16}$/);
    expect(made.app.id).not.toBe(otherApp.id);
    emulator = await startGitHubEmulator({ apps: [made.app] });
    const token = appJwt({ iss: made.app.id }, made.privateKeyPem);
    const response = await call('GET', '/app', { auth: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: made.app.id, slug: made.app.slug, installations_count: 0 });
  });
});

describe('the permission list', () => {
  test("is read from @octokit/openapi's app-permissions schema: GitHub's names, each with its levels", () => {
    expect(GITHUB_APP_PERMISSIONS).toMatchObject({
      contents: ['read', 'write'],
      pull_requests: ['read', 'write'],
      workflows: ['write'],
      organization_projects: ['read', 'write', 'admin'],
    });
  });

  test('has only levels the emulator can order (read < write < admin)', () => {
    const known = ['read', 'write', 'admin'];
    const unknown = Object.entries(GITHUB_APP_PERMISSIONS).filter(
      ([, levels]) => !levels.every((l) => known.includes(l)),
    );
    expect(unknown).toEqual([]);
  });
});

describe('enterprises, users and tampered answers', () => {
  const enterpriseInstallation: EmulatedInstallation = {
    id: 31,
    appId: app.id,
    account: { login: 'octo-ent', type: 'Enterprise' },
    repositorySelection: 'all',
    repositories: [],
    permissions: { enterprise_custom_properties_for_organizations: 'read' },
  };
  beforeEach(async () => {
    emulator = await startGitHubEmulator({
      apps: [app, otherApp],
      installations: [...installations(), enterpriseInstallation],
    });
  });
  const auth = () => `Bearer ${appJwt()}`;

  test('GET /enterprises/{enterprise}/installation shows the enterprise by its slug, with no login or type', async () => {
    const response = await call('GET', '/enterprises/Octo-Ent/installation', { auth: auth() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 31, target_type: 'Enterprise', app_slug: 'octo-app' });
    expect(response.body.account).toMatchObject({ slug: 'octo-ent', name: 'octo-ent' });
    expect(response.body.account).not.toHaveProperty('login');
    expect(response.body.account).not.toHaveProperty('type');
  });

  test('an enterprise is found only under /enterprises, and an organization never there', async () => {
    expect((await call('GET', '/users/octo-ent/installation', { auth: auth() })).status).toBe(404);
    expect((await call('GET', '/repos/octo-ent/x/installation', { auth: auth() })).status).toBe(404);
    const organization = await call('GET', '/enterprises/octo-org/installation', { auth: auth() });
    expect(organization.status).toBe(404);
    expect(organization.body).toEqual(
      githubError(404, 'Not Found', `${APPS_DOCS}#get-an-enterprise-installation-for-the-authenticated-app`),
    );
  });

  test("an enterprise installation's token covers no repository: naming one is refused", async () => {
    const response = await call('POST', '/app/installations/31/access_tokens', {
      auth: auth(),
      body: { repositories: ['x'] },
    });
    expect(response.status).toBe(422);
    expect(response.body.message).toBe(MESSAGES.repositoriesNotAccessible);
    expect(await installationToken(31)).toMatch(/^ghs_/);
  });

  test("GET /users/{username} shows an app's bot, with a stable id, and the accounts apps are installed on", async () => {
    const token = await installationToken();
    const bot = await call('GET', `/users/${encodeURIComponent('Octo-App[bot]')}`, { auth: `Bearer ${token}` });
    expect(bot.status).toBe(200);
    expect(bot.body).toMatchObject({ login: 'octo-app[bot]', id: botUserId('octo-app'), type: 'Bot' });
    const user = await call('GET', '/users/mona', { auth: `token ${token}` });
    expect(user.body).toMatchObject({ login: 'mona', type: 'User' });
    expect((await call('GET', '/users/octo-ent', { auth: `token ${token}` })).status).toBe(404);
    expect((await call('GET', '/users/nobody', { auth: `token ${token}` })).status).toBe(404);
  });

  test('GET /users/{username} needs a token, not the app JWT', async () => {
    const response = await call('GET', '/users/mona', { auth: auth() });
    expect(response.status).toBe(403);
    expect(response.body.message).toBe(MESSAGES.requiresAuthentication);
  });

  test("tamper() edits the emulator's own answer once: the token is issued, the answer is what the edit makes", async () => {
    emulator.tamper('POST /app/installations/:id/access_tokens', (answer) => ({
      ...answer,
      body: { ...(answer.body as object), expires_at: 'soon' },
    }));
    const tampered = await call('POST', '/app/installations/11/access_tokens', { auth: auth() });
    expect(tampered.status).toBe(201);
    expect(tampered.body.expires_at).toBe('soon');
    expect(emulator.issuedTokens().map((t) => t.token)).toEqual([tampered.body.token]);
    const next = await call('POST', '/app/installations/11/access_tokens', { auth: auth() });
    expect(next.body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('tamper() on one route leaves the others alone, and takes a route in the same form as fail()', async () => {
    emulator.tamper('GET /users/:username/installation', (answer) => ({ ...answer, body: { id: 'x' } }));
    expect((await call('GET', '/repos/octo-org/api/installation', { auth: auth() })).body.id).toBe(11);
    expect((await call('GET', '/users/octo-org/installation', { auth: auth() })).body).toEqual({ id: 'x' });
    expect(() => emulator.tamper('users', (answer) => answer)).toThrow("tamper(): route 'users' is not 'METHOD /path'");
  });
});
