// The token path as the provider runs it: one token per account (in parallel), what the outputs, the log and the
// summary say of them, the bot's identity, and what is revoked when any part fails.
import { GitHubApiError } from '../../../src/providers/github/api.js';
import { appJwtSource, githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import { botEmail, exchangeForInstallationToken, revokeGitHubToken } from '../../../src/providers/github/exchange.js';
import { readGitHubSettings, type GitHubAppSettings } from '../../../src/providers/github/settings.js';
import { createInputReader, type Env } from '../../../src/settings/inputs.js';
import {
  botUserId,
  makeTestApp,
  startGitHubEmulator,
  type GitHubEmulator,
  type GitHubEmulatorOptions,
  type ScriptedResponse,
} from '../../../test/emulators/github.ts';
import { startProxy } from '../../../test/proxy.ts';
import { githubError, infoLines, LOCAL_S, providerContext, rejectionOf, sent, visibleLines } from './harness.ts';

const { app, privateKeyPem } = makeTestApp({ slug: 'octo-app' });
const BOT = 'octo-app[bot]';
const BOT_PATH = `/users/${encodeURIComponent(BOT)}`;
const TOKEN_ROUTE = 'POST /app/installations/:installation_id/access_tokens';

const running: GitHubEmulator[] = [];

async function startEmulator(options: Partial<GitHubEmulatorOptions> = {}): Promise<GitHubEmulator> {
  const emulator = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 42,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: ['app', 'web'],
        permissions: { contents: 'read', metadata: 'read' },
      },
      {
        id: 43,
        appId: app.id,
        // GitHub's spelling, which the tokens output keeps whatever the inputs wrote.
        account: { login: 'Mona', type: 'User' },
        repositorySelection: 'selected',
        repositories: ['dotfiles', 'blog'],
        permissions: { contents: 'write', metadata: 'read' },
      },
      {
        id: 44,
        appId: app.id,
        account: { login: 'third-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: [],
        permissions: { issues: 'write', metadata: 'read' },
      },
      {
        id: 50,
        appId: app.id,
        account: { login: 'octo-ent', type: 'Enterprise' },
        repositorySelection: 'all',
        repositories: [],
        permissions: { enterprise_custom_properties_for_organizations: 'read' },
      },
    ],
    latencyMs: 0,
    ...options,
  });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** The settings the action reads from these inputs, pointed at the emulator. */
async function settingsFor(emulator: GitHubEmulator, inputs: Record<string, string>, env: Env) {
  const all: Record<string, string> = {
    'app-id': String(app.id),
    'private-key': privateKeyPem,
    'github-api-url': emulator.url,
    ...inputs,
  };
  const settings = await readGitHubSettings(
    createInputReader((name) => all[name] ?? ''),
    { env, clock: providerContext().clock },
  );
  if (settings.fallback) throw new Error('these inputs fell back on fallback-token');
  return settings;
}

/** exchangeForInstallationToken as the provider calls it: a JWT source signing by the context's clock. */
async function start(emulator: GitHubEmulator, inputs: Record<string, string>, env: Env = {}, apiUrl?: string) {
  const settings: GitHubAppSettings = await settingsFor(emulator, inputs, env);
  const context = providerContext();
  if (settings.credential.kind === 'kms') throw new Error('these inputs name a KMS key');
  const jwt = appJwtSource(
    settings.credential,
    () => githubAppClaims(settings.issuer, settings.jwtExpiresIn, context.clock),
    context.mask,
  );
  if (!settings.exchange) throw new Error('these inputs ask for no installation token');
  // A plain-http emulator reached by a name that is not loopback: the URL the inputs cannot give.
  const exchange = { ...settings.exchange, apiUrl: apiUrl ?? settings.exchange.apiUrl };
  const result = exchangeForInstallationToken(settings, exchange, jwt, context);
  return { result, context, jwt };
}

async function exchangeWith(emulator: GitHubEmulator, inputs: Record<string, string>, env?: Env, apiUrl?: string) {
  const { result, context, jwt } = await start(emulator, inputs, env, apiUrl);
  return { credentials: await result, context, jwt };
}

async function failureWith(emulator: GitHubEmulator, inputs: Record<string, string>) {
  const { result, context } = await start(emulator, inputs);
  return { error: await rejectionOf(result, Error), context };
}

/** The emulator's tokens by installation, and which were revoked. */
const tokensOf = (emulator: GitHubEmulator) =>
  Object.fromEntries(emulator.issuedTokens().map((t) => [t.installationId, { token: t.token, revoked: t.revoked }]));

describe('one account', () => {
  test('the credentials say which app, where, what the token covers, both expiries, and that it is revoked later', async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    const { credentials, jwt } = await exchangeWith(emulator, { owner: 'octo-org', repositories: 'app, web' });
    const [issued] = emulator.issuedTokens();
    const expires = new Date(issued.expiresAt).toISOString();
    const record = { provider: 'github', token: issued.token, apiUrl: emulator.url, expiresAt: expires };
    expect(credentials).toEqual({
      token: issued.token,
      tokenType: 'installation',
      expiresAt: new Date(issued.expiresAt),
      secrets: [issued.token],
      outputs: {
        'installation-id': '42',
        permissions: '{"contents":"read","metadata":"read"}',
        'app-slug': 'octo-app',
      },
      tokens: { 'octo-org': issued.token },
      summary: [
        ['Provider', 'GitHub App'],
        ['App', `octo-app (${app.id})`],
        ['API', emulator.url],
        ['Installation', '42 on octo-org'],
        ['Repositories', 'octo-org/app, octo-org/web'],
        ['Permissions', 'contents: read, metadata: read'],
        ['Token expires', expires],
        ['JWT expires', new Date((LOCAL_S + 540) * 1000).toISOString()],
        ['Revoked after the job', 'yes'],
      ],
      jwt: jwt.last(),
      revoke: [record],
      issued: [record],
    });
  });

  test('one account makes the same two requests as before several accounts existed, and nothing more', async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    await exchangeWith(emulator, { owner: 'octo-org', repositories: 'app, web' });
    expect(sent(emulator.requests)).toEqual([
      'GET /api/v3/repos/octo-org/app/installation',
      'POST /api/v3/app/installations/42/access_tokens',
    ]);
  });

  test('the log says which installation the token is for, what it covers and when it expires', async () => {
    const emulator = await startEmulator();
    const { credentials, context } = await exchangeWith(emulator, { owner: 'octo-org', repositories: 'app' });
    expect(visibleLines(context.log)).toEqual([
      `Created an installation token (installation 42) for octo-org/app; it expires at ${credentials.expiresAt?.toISOString()}.`,
    ]);
  });

  test('a token for the whole installation is logged as every repository the owner lets it reach', async () => {
    const emulator = await startEmulator();
    const { context } = await exchangeWith(emulator, { owner: 'octo-org' });
    expect(infoLines(context.log)).toEqual([
      expect.stringMatching(
        /^Created an installation token \(installation 42\) for every repository of octo-org the installation can reach; it expires at /,
      ),
    ]);
  });

  test('with installation-id there is no slug: no app-slug output, the app named by its ID, one request', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org', 'installation-id': '42' });
    expect(Object.keys(credentials.outputs)).toEqual(['installation-id', 'permissions']);
    expect(credentials.summary[1]).toEqual(['App', String(app.id)]);
    // The account is the owner input's: GitHub's answer to the token request does not name it.
    expect(credentials.summary[3]).toEqual(['Installation', '42 on octo-org']);
    expect(sent(emulator.requests)).toEqual(['POST /app/installations/42/access_tokens']);
  });

  test('the JWT each request carried is masked before it is sent', async () => {
    const emulator = await startEmulator();
    const { context } = await exchangeWith(emulator, { owner: 'octo-org', repositories: 'app' });
    const sentJwts = emulator.requests.map((r) => String(r.headers.authorization).replace(/^Bearer /, ''));
    for (const token of sentJwts) {
      expect(context.masked).toContain(token);
      expect(context.masked).toContain(token.split('.')[2]);
    }
  });

  test('the token is masked the moment it arrives, before the exchange returns', async () => {
    const emulator = await startEmulator();
    const { credentials, context } = await exchangeWith(emulator, { owner: 'octo-org' });
    expect(context.masked).toContain(credentials.token);
  });

  test('with skip-token-revoke: nothing for the post step, and the summary says why; the token is still known as issued', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org', 'skip-token-revoke': 'true' });
    expect(credentials.revoke).toBeUndefined();
    expect(credentials.summary.at(-1)).toEqual(['Revoked after the job', 'no (skip-token-revoke)']);
    // A main step that fails after this point revokes it all the same: no later step got it.
    expect(credentials.issued?.map((record) => record.token)).toEqual([credentials.token]);
  });

  test("revokeGitHubToken revokes the record's token at the record's API URL", async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org' });
    const [record] = credentials.revoke ?? [];
    emulator.requests.length = 0;

    expect(await revokeGitHubToken(record, providerContext())).toBe('Revoked the installation token.');

    expect(sent(emulator.requests)).toEqual(['DELETE /api/v3/installation/token']);
    expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${credentials.token}`);
    expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true]);
  });

  test('a token GitHub issues already expired gets a warning, and is still handed on', async () => {
    const emulator = await startEmulator();
    const past = new Date((LOCAL_S - 60) * 1000).toISOString().replace('.000', '');
    emulator.tamper(TOKEN_ROUTE, (answer: ScriptedResponse) => ({
      ...answer,
      body: { ...(answer.body as object), expires_at: past },
    }));
    const { credentials, context } = await exchangeWith(emulator, { owner: 'octo-org' });
    expect(credentials.expiresAt).toEqual(new Date(past));
    expect(context.log.lines.filter((line) => line.startsWith('warning: '))).toEqual([
      `warning: GitHub issued the token for octo-org already expired (at ${new Date(past).toISOString()}, by GitHub's clock as the runner sees it). Later steps will get 401 with it; check the runner's clock, and GitHub's status.`,
    ]);
  });
});

describe('several accounts', () => {
  test('two owners: one token each, token is the first, tokens maps each login as GitHub spells it', async () => {
    const emulator = await startEmulator();
    const { credentials, context } = await exchangeWith(emulator, { owner: 'octo-org, mona' });
    const byInstallation = tokensOf(emulator);
    const [org, mona] = [byInstallation[42].token, byInstallation[43].token];
    expect(credentials.token).toBe(org);
    expect(credentials.tokens).toEqual({ 'octo-org': org, Mona: mona });
    expect(Object.keys(credentials.tokens ?? {})).toEqual(['octo-org', 'Mona']);
    expect(credentials.secrets).toEqual([org, mona]);
    expect(context.masked).toEqual(expect.arrayContaining([org, mona]));
    expect(credentials.outputs).toEqual({
      'installation-id': '42',
      permissions: '{"contents":"read","metadata":"read"}',
      'app-slug': 'octo-app',
    });
    expect(credentials.revoke?.map((record) => record.token)).toEqual([org, mona]);
    expect(credentials.issued?.map((record) => record.token)).toEqual([org, mona]);
    expect(sent(emulator.requests).sort()).toEqual([
      'GET /users/mona/installation',
      'GET /users/octo-org/installation',
      'POST /app/installations/42/access_tokens',
      'POST /app/installations/43/access_tokens',
    ]);
  });

  test('each account is a block of the summary, in the order the inputs list them', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org, mona', repositories: 'mona/dotfiles' });
    const byInstallation = emulator.issuedTokens();
    const expiry = (id: number) =>
      new Date(byInstallation.find((t) => t.installationId === id)!.expiresAt).toISOString();
    expect(credentials.summary).toEqual([
      ['Provider', 'GitHub App'],
      ['App', `octo-app (${app.id})`],
      ['API', emulator.url],
      ['Account', 'octo-org'],
      ['Installation', '42 on octo-org'],
      ['Repositories', 'every repository the installation can reach'],
      ['Permissions', 'contents: read, metadata: read'],
      ['Token expires', expiry(42)],
      ['Account', 'Mona'],
      ['Installation', '43 on Mona'],
      ['Repositories', 'Mona/dotfiles'],
      ['Permissions', 'contents: write, metadata: read'],
      ['Token expires', expiry(43)],
      ['JWT expires', new Date((LOCAL_S + 540) * 1000).toISOString()],
      ['Revoked after the job', 'yes'],
    ]);
  });

  test('three accounts from repositories: each token asked for its own repositories, one log line each', async () => {
    const emulator = await startEmulator();
    const { credentials, context } = await exchangeWith(emulator, {
      repositories: 'octo-org/app, mona/dotfiles, third-org/site, octo-org/web',
    });
    const posts = emulator.requests.filter((r) => r.method === 'POST');
    expect(Object.fromEntries(posts.map((r) => [r.path, r.body]))).toEqual({
      '/app/installations/42/access_tokens': { repositories: ['app', 'web'] },
      '/app/installations/43/access_tokens': { repositories: ['dotfiles'] },
      '/app/installations/44/access_tokens': { repositories: ['site'] },
    });
    const byInstallation = tokensOf(emulator);
    expect(credentials.tokens).toEqual({
      'octo-org': byInstallation[42].token,
      Mona: byInstallation[43].token,
      'third-org': byInstallation[44].token,
    });
    expect(infoLines(context.log).map((line) => line.replace(/; it expires at .*$/, ''))).toEqual([
      'Created an installation token (installation 42) for octo-org/app, octo-org/web',
      'Created an installation token (installation 43) for Mona/dotfiles',
      'Created an installation token (installation 44) for third-org/site',
    ]);
    expect(credentials.summary.filter(([label]) => label === 'Account')).toEqual([
      ['Account', 'octo-org'],
      ['Account', 'Mona'],
      ['Account', 'third-org'],
    ]);
  });

  test('the accounts are asked for in parallel: both lookups reach GitHub before either token request', async () => {
    const emulator = await startEmulator({ latencyMs: 150 });
    await exchangeWith(emulator, { owner: 'octo-org, mona' });
    const order = sent(emulator.requests);
    expect(order.slice(0, 2).sort()).toEqual(['GET /users/mona/installation', 'GET /users/octo-org/installation']);
    expect(order.slice(2).sort()).toEqual([
      'POST /app/installations/42/access_tokens',
      'POST /app/installations/43/access_tokens',
    ]);
  });

  test("one account failing revokes the other's token before the step fails, with that account's error", async () => {
    const emulator = await startEmulator();
    const { error, context } = await failureWith(emulator, { owner: 'octo-org, stranger' });
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error.message).toBe(
      'The app octo-app is not installed on stranger (GET /users/stranger/installation answered 404). Install it from https://github.com/apps/octo-app/installations/new on stranger. To use an installation on another account, set owner (and repositories).',
    );
    const [issued] = emulator.issuedTokens();
    expect(issued).toMatchObject({ installationId: 42, revoked: true });
    const deletes = emulator.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/installation/token', `Bearer ${issued.token}`],
    ]);
    expect(context.masked).toContain(issued.token);
    expect(visibleLines(context.log)).toEqual(['Revoked the token already issued, since the step failed.']);
  });

  test('with two tokens issued and the third refused, both are revoked', async () => {
    const emulator = await startEmulator();
    emulator.fail(
      'POST /app/installations/44/access_tokens',
      githubError(403, 'Resource not accessible by integration'),
    );
    const { error, context } = await failureWith(emulator, { owner: 'octo-org, mona, third-org' });
    expect(error.message).toBe(
      'Creating a token for installation 44 failed: GitHub answered 403 "Resource not accessible by integration".',
    );
    expect(emulator.issuedTokens().map((t) => [t.installationId, t.revoked])).toEqual(
      expect.arrayContaining([
        [42, true],
        [43, true],
      ]),
    );
    expect(emulator.issuedTokens()).toHaveLength(2);
    expect(visibleLines(context.log)).toEqual(['Revoked the 2 tokens already issued, since the step failed.']);
  });

  test('a revoke that fails during that clean-up is a warning that names the account and when the token expires', async () => {
    const emulator = await startEmulator();
    const down = { status: 503, body: { message: 'Service Unavailable' } };
    emulator.fail('DELETE /installation/token', down, down, down, down);
    const { context } = await failureWith(emulator, { owner: 'octo-org, stranger' });
    const [issued] = emulator.issuedTokens();
    expect(issued.revoked).toBe(false);
    expect(visibleLines(context.log)).toEqual([
      `warning: The step failed after the token for octo-org was issued, and revoking it failed too: GitHub answered 503 "Service Unavailable" to DELETE /installation/token. It expires by itself at ${new Date(issued.expiresAt).toISOString()}.`,
    ]);
  });

  test('each account has its own permission pre-check: one that lacks a permission stops, the other is revoked', async () => {
    const emulator = await startEmulator();
    const { error } = await failureWith(emulator, { owner: 'mona, octo-org', permissions: 'contents: write' });
    expect(error.message).toMatch(/^Stopped before asking for a token on octo-org, since GitHub would refuse it\./);
    expect(emulator.issuedTokens().map((t) => [t.installationId, t.revoked])).toEqual([[43, true]]);
    expect(sent(emulator.requests).filter((line) => line.startsWith('POST'))).toEqual([
      'POST /app/installations/43/access_tokens',
    ]);
  });
});

describe('an enterprise', () => {
  test('its token is keyed by the enterprise slug, and the summary and log say it is for the enterprise', async () => {
    const emulator = await startEmulator();
    const { credentials, context } = await exchangeWith(emulator, { enterprise: 'octo-ent' });
    const [issued] = emulator.issuedTokens();
    expect(credentials.tokens).toEqual({ 'octo-ent': issued.token });
    expect(credentials.outputs['installation-id']).toBe('50');
    expect(credentials.summary.slice(3, 5)).toEqual([
      ['Installation', '50 on octo-ent'],
      ['Repositories', 'the enterprise octo-ent'],
    ]);
    expect(infoLines(context.log)).toEqual([
      `Created an installation token (installation 50) for the enterprise octo-ent; it expires at ${new Date(issued.expiresAt).toISOString()}.`,
    ]);
    expect(sent(emulator.requests)).toEqual([
      'GET /enterprises/octo-ent/installation',
      'POST /app/installations/50/access_tokens',
    ]);
  });
});

describe("the bot's identity", () => {
  test('after a lookup: one request more, with the token, and the bot outputs', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org', 'bot-identity': 'true' });
    const id = botUserId('octo-app');
    expect(sent(emulator.requests)).toEqual([
      'GET /users/octo-org/installation',
      'POST /app/installations/42/access_tokens',
      `GET ${BOT_PATH}`,
    ]);
    expect(emulator.requests[2].headers.authorization).toBe(`Bearer ${credentials.token}`);
    const bot = { name: BOT, userId: id, email: `${id}+${BOT}@users.noreply.github.com` };
    expect(credentials.bot).toEqual(bot);
    expect(credentials.outputs).toEqual(
      expect.objectContaining({ 'bot-name': BOT, 'bot-user-id': String(id), 'bot-email': bot.email }),
    );
    expect(credentials.summary).toContainEqual(['Bot user', `${BOT} (${id})`]);
    expect(credentials.git).toBeUndefined();
  });

  test('with installation-id the slug is not known yet: GET /app as the app first, two requests more', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, {
      owner: 'octo-org',
      'installation-id': '42',
      'bot-identity': 'true',
    });
    expect(sent(emulator.requests)).toEqual([
      'POST /app/installations/42/access_tokens',
      'GET /app',
      `GET ${BOT_PATH}`,
    ]);
    expect(emulator.requests[1].headers.authorization).toMatch(/^Bearer eyJ/);
    expect(credentials.bot?.name).toBe(BOT);
  });

  test('with several accounts, the bot is looked up once, with the first token', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org, mona', 'bot-identity': 'true' });
    const lookups = emulator.requests.filter((r) => r.path === BOT_PATH);
    expect(lookups.map((r) => r.headers.authorization)).toEqual([`Bearer ${credentials.tokens?.['octo-org']}`]);
  });

  test('without bot-identity or configure-git there is no bot request and no bot output', async () => {
    const emulator = await startEmulator();
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org' });
    expect(sent(emulator.requests)).not.toContain(`GET ${BOT_PATH}`);
    expect(credentials.bot).toBeUndefined();
    expect(Object.keys(credentials.outputs).filter((name) => name.startsWith('bot-'))).toEqual([]);
  });

  test('configure-git: the bot and every account token for git, to the server git may send them to', async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org, mona', 'configure-git': 'true' });
    const id = botUserId('octo-app');
    const server = new URL(emulator.url).origin;
    expect(credentials.git).toEqual({
      serverUrl: server,
      user: { name: BOT, userId: id, email: `${id}+${BOT}@users.noreply.127.0.0.1` },
      tokens: [
        { account: 'octo-org', token: credentials.tokens?.['octo-org'] },
        { account: 'Mona', token: credentials.tokens?.Mona },
      ],
    });
  });

  test('on GitHub Enterprise Server the email is on the server host, without its port', async () => {
    const emulator = await startEmulator({ pathPrefix: '/api/v3' });
    const { credentials } = await exchangeWith(emulator, { owner: 'octo-org', 'bot-identity': 'true' });
    expect(credentials.bot?.email).toBe(`${botUserId('octo-app')}+${BOT}@users.noreply.127.0.0.1`);
    expect(sent(emulator.requests).at(-1)).toBe(`GET /api/v3${BOT_PATH}`);
  });

  test('on GHE.com (api.SUBDOMAIN.ghe.com) the email is on SUBDOMAIN.ghe.com', async () => {
    const host = 'api.octocorp.ghe.com';
    const emulator = await startEmulator({ urlHost: host });
    const loopback = emulator.url.replace(host, '127.0.0.1');
    const proxy = await startProxy({ hosts: { [host]: '127.0.0.1' } });
    const saved = { http_proxy: process.env.http_proxy, HTTP_PROXY: process.env.HTTP_PROXY };
    // The name resolves nowhere: requests reach the emulator through a proxy that maps it to 127.0.0.1.
    process.env.http_proxy = proxy.url;
    delete process.env.HTTP_PROXY;
    try {
      const inputs = { owner: 'octo-org', 'bot-identity': 'true', 'github-api-url': loopback };
      const { credentials } = await exchangeWith(emulator, inputs, {}, emulator.url);
      expect(credentials.bot?.email).toBe(`${botUserId('octo-app')}+${BOT}@users.noreply.octocorp.ghe.com`);
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

  test.each([
    ['https://api.github.com', 'github.com'],
    ['https://ghe.example.com:8443/api/v3', 'ghe.example.com'],
    ['https://api.octocorp.ghe.com', 'octocorp.ghe.com'],
  ])('botEmail for %s is on users.noreply.%s', (apiUrl, host) => {
    expect(botEmail(apiUrl, 'octo-app', 7)).toBe(`7+octo-app[bot]@users.noreply.${host}`);
  });

  test('a bot user GitHub does not know (404) fails the step, and the token is revoked', async () => {
    const emulator = await startEmulator();
    emulator.fail('GET /users/:username', githubError(404, 'Not Found'));
    const { error, context } = await failureWith(emulator, { owner: 'octo-org', 'bot-identity': 'true' });
    expect(error.message).toBe(
      `Could not look up the app's bot user ${BOT}: GitHub answered 404 to GET ${BOT_PATH}. The bot user exists once the app is installed; check github-api-url.`,
    );
    expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true]);
    expect(visibleLines(context.log)).toEqual(['Revoked the token already issued, since the step failed.']);
  });

  test.each([
    ['another user', { login: 'mallory', id: 5 }],
    ['a login with a workflow command', { login: 'octo-app[bot]\n::stop-commands::x', id: 5 }],
    ['an id that is not a number', { login: BOT, id: '5; rm -rf' }],
  ])('a bot answer naming %s fails the step, and every token is revoked', async (_what, body) => {
    const emulator = await startEmulator();
    emulator.fail('GET /users/:username', { status: 200, body });
    const { error } = await failureWith(emulator, { owner: 'octo-org, mona', 'bot-identity': 'true' });
    expect(error.message).toMatch(
      new RegExp(
        `^GitHub answered 200 to GET /users/octo-app\\[bot\\], but its \`(login|id)\` is not .*: the server at ${emulator.url} does not answer like GitHub's REST API\\. Check github-api-url\\.$`,
      ),
    );
    expect(error.message).not.toMatch(/[\r\n]|stop-commands/);
    expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true, true]);
  });

  test('with installation-id, a GET /app that gives no usable slug fails the step, and the token is revoked', async () => {
    const emulator = await startEmulator();
    emulator.fail('GET /app', { status: 200, body: { id: app.id, slug: 'octo-app\r\n::stop-commands::x' } });
    const { error } = await failureWith(emulator, {
      owner: 'octo-org',
      'installation-id': '42',
      'bot-identity': 'true',
    });
    expect(error.message).toBe(
      `Could not look up the app's bot user: GET /app did not give the app's slug (at ${emulator.url}). Check github-api-url, or leave bot-identity and configure-git out.`,
    );
    expect(sent(emulator.requests)).toEqual([
      'POST /app/installations/42/access_tokens',
      'GET /app',
      'DELETE /installation/token',
    ]);
    expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true]);
  });
});
