/**
 * A local stand-in for the GitHub REST API, limited to GitHub App authentication: app JWTs, installation
 * lookups, installation access tokens and their revocation. It is a real HTTP server on 127.0.0.1 so the
 * action is tested through its real fetch/proxy code, and it answers with GitHub's status codes, headers and
 * JSON error bodies ({"message", "documentation_url", "status"}), wording included.
 *
 * Where the wording comes from is noted next to each message in MESSAGES. Apps and installations are read
 * live from the objects passed in, so a test may change one (suspend an installation, drop a permission)
 * between requests.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import { createHash, generateKeyPairSync, randomBytes, randomInt, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type ScriptedFault,
  type ScriptedResponse as Reply,
  type ServerListenOptions,
  type ServerTimingOptions,
} from './http-emulator.ts';
import { parseJsonSegment, publicKeyCache } from './jwt-parts.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

export type PermissionLevel = 'read' | 'write' | 'admin';
export type Permissions = Record<string, PermissionLevel>;

export interface EmulatedApp {
  id: number;
  /** `Iv1.` + 16 hex digits, or `Iv23` + 16 letters/digits. Accepted as the JWT `iss` like the App ID. */
  clientId: string;
  slug: string;
  name: string;
  /** Login of the account that owns the app. */
  owner: string;
  ownerType?: 'User' | 'Organization';
  /** Verifies the app's JWTs. A private key works too (its public half is used). */
  publicKey: KeyObject | string;
  /** What the app asks for; installations may lag behind (see EmulatedInstallation.permissions). */
  permissions: Permissions;
  events?: string[];
}

export interface EmulatedInstallation {
  id: number;
  appId: number;
  /** An Enterprise account is an enterprise installation: its login is the enterprise slug. */
  account: { login: string; type: 'User' | 'Organization' | 'Enterprise'; id?: number };
  repositorySelection: 'all' | 'selected';
  /**
   * Repository names (without the owner) the installation covers. With 'all', any repository of the account
   * counts as covered; this list is then what GET /installation/repositories shows.
   */
  repositories: string[];
  /** What the account accepted: tokens can have at most this. */
  permissions: Permissions;
  suspended?: boolean;
}

export interface IssuedToken {
  token: string;
  installationId: number;
  /** ISO 8601, by the server's clock. */
  expiresAt: string;
  revoked: boolean;
  permissions: Permissions;
  /** Repository names the token is limited to; undefined when it covers the whole installation. */
  repositories: string[] | undefined;
}

export interface GitHubEmulatorOptions extends ServerTimingOptions, ServerListenOptions {
  apps: EmulatedApp[];
  installations?: EmulatedInstallation[];
  /** GitHub Enterprise Server style base path, e.g. '/api/v3'. Requests outside it get 404. */
  pathPrefix?: string;
}

export interface GitHubEmulator extends EmulatorControls {
  /** REST base URL: `http://127.0.0.1:<port>` + pathPrefix, no trailing slash (see ServerListenOptions). */
  url: string;
  /** Web root that html_url fields use: https://github.com, or for GHES the server itself. */
  htmlUrl: string;
  /**
   * Queues responses for a route such as 'POST /app/installations/:id/access_tokens' (':name' matches any one
   * segment; paths are relative to pathPrefix). They are used first-in first-out, before normal handling.
   */
  fail(route: string, ...responses: ScriptedFault[]): void;
  /**
   * Edits the emulator's own answer to the next request on `route` (same form as fail()), after the emulator
   * has acted on it: a token asked for is issued and can be revoked, while the answer that carries it is what
   * `edit` makes of it (a field dropped, mistyped or full of line breaks). First-in first-out, one answer each.
   */
  tamper(route: string, edit: (answer: Reply) => Reply): void;
  issuedTokens(): IssuedToken[];
  /** Makes a token expire now: later requests with it get 401 Bad credentials. */
  expireToken(token: string): void;
}

/** GitHub rejects app JWTs whose exp is more than this many seconds after its clock. */
export const JWT_MAX_LIFETIME_SECONDS = 600;
/**
 * How far in the future (by the server's clock) iat may be. GitHub publishes no tolerance and advises
 * backdating iat by 60 s; we allow none, so clock-skew tests have a sharp, predictable edge.
 */
export const JWT_IAT_LEEWAY_SECONDS = 0;
export const INSTALLATION_TOKEN_LIFETIME_SECONDS = 3600;

/** GitHub's own wording. Each line says where it was confirmed. */
export const MESSAGES = {
  // octokit/auth-app.js matches these three verbatim for its clock-skew retry; seen in many issue reports.
  jwtIat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  jwtExpired:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  jwtTooLong: "'Expiration time' claim ('exp') is too far in the future",
  // Reported for bad keys, `token <jwt>` on GET /app, and installation tokens on /app/installations.
  jwtUndecodable: 'A JSON web token could not be decoded',
  // 404 with documentation_url https://docs.github.com/rest when iss names no app (issue reports).
  integrationNotFound: 'Integration not found',
  notFound: 'Not Found',
  // GitHub's answer to anonymous requests on endpoints that need a credential (e.g. GET /user).
  requiresAuthentication: 'Requires authentication',
  badCredentials: 'Bad credentials',
  suspended: 'This installation has been suspended',
  // A permission the installation lacks, or a name GitHub does not know (e.g. 'pull-requests').
  permissionsNotGranted: 'The permissions requested are not granted to this installation.',
  // A permission the installation has, at a lower level (read asked as write).
  permissionLevelNotGranted: 'The level of access for permissions requested are not granted to this installation.',
  repositoriesNotAccessible:
    'There is at least one repository that does not exist or is not accessible to the parent installation.',
  problemsParsingJson: 'Problems parsing JSON',
  // GitHub's API source: the forbidden messages of these two endpoints when called as the app itself.
  listReposNeedsInstallationToken:
    'You must authenticate with an installation access token in order to list repositories for an installation.',
  revokeNeedsInstallationToken: 'You must authenticate with an installation access token in order to revoke it',
} as const;

/**
 * Permission names and levels an installation token may ask for: the `app-permissions` schema of GitHub's
 * OpenAPI description (@octokit/openapi, api.github.com), read here rather than taken from the action's
 * generated copy, so that the emulator stays an independent check of the action.
 */
export const GITHUB_APP_PERMISSIONS: Record<string, readonly PermissionLevel[]> = readAppPermissions();

function readAppPermissions(): Record<string, readonly PermissionLevel[]> {
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8'));
  const properties: Record<string, { enum: PermissionLevel[] }> = spec.components.schemas['app-permissions'].properties;
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, schema.enum]));
}

const LEVEL_RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };
const ENTERPRISE_VERSION = '3.17';
const CREATED_AT = '2024-01-15T10:00:00Z';

/** A stable positive id for a name, so account and repository ids are the same in every run. */
export function stableId(name: string): number {
  return (createHash('sha256').update(name.toLowerCase()).digest().readUInt32BE(0) % 2_000_000_000) + 1;
}

/** The id the emulator gives `owner/name`, for repository_ids in token requests. */
/** The user id of an app's bot, stable for its slug. */
export function botUserId(slug: string): number {
  return stableId(`bot:${slug}`);
}

export function repositoryId(owner: string, name: string): number {
  return stableId(`repository:${owner}/${name}`);
}

function accountId(account: EmulatedInstallation['account']): number {
  return account.id ?? stableId(`account:${account.login}`);
}

/** Signs a JWT with node:crypto; the header and claims are sent as given, so tests can craft bad ones. */
export function signTestJwt(
  claims: Record<string, unknown>,
  privateKey: KeyObject | string,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

let nextTestAppId = 100_001;

/** A fresh app with its own RSA 2048 key; the PEM is PKCS#1, as GitHub's settings page downloads it. */
export function makeTestApp(overrides: Partial<EmulatedApp> = {}): { app: EmulatedApp; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const id = overrides.id ?? nextTestAppId++;
  const app: EmulatedApp = {
    id,
    clientId: 'Iv23li' + randomToken(14),
    slug: `test-app-${id}`,
    name: `Test App ${id}`,
    owner: 'octo-org',
    publicKey,
    permissions: { contents: 'read', metadata: 'read' },
    ...overrides,
  };
  return { app, privateKeyPem: privateKey };
}

// ---------------------------------------------------------------------------------------------------------
// Internals

interface TokenRecord {
  token: string;
  installationId: number;
  expiresAt: number;
  revoked: boolean;
  permissions: Permissions;
  repositories: string[] | undefined;
}

interface RequestContext {
  params: Record<string, string>;
  body: unknown;
  bodyIsJson: boolean;
  query: URLSearchParams;
}

interface RouteInfo {
  method: string;
  pattern: string;
  /** The endpoint's page, used as documentation_url in its errors. */
  docs: string;
}

/** Endpoints for the app itself, authenticated with its JWT. */
interface AppRoute extends RouteInfo {
  auth: 'jwt';
  handle(context: RequestContext & { app: EmulatedApp }, route: RouteInfo): Reply;
}

/** Endpoints for an installation, authenticated with one of its tokens. */
interface InstallationRoute extends RouteInfo {
  auth: 'installation';
  /** The 403 message when the app's own JWT is used instead of a token. */
  forbidden: string;
  handle(context: RequestContext & { token: TokenRecord }, route: RouteInfo): Reply;
}

type Route = AppRoute | InstallationRoute;

function looksLikeJwt(credential: string): boolean {
  const parts = credential.split('.');
  return parts.length === 3 && parseJsonSegment(parts[0])?.alg !== undefined;
}

function parseAuthorization(header: string | undefined): { scheme: string; credential: string } | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  return match ? { scheme: match[1].toLowerCase(), credential: match[2] } : undefined;
}

/** GitHub's timestamps carry no milliseconds. */
function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** GitHub's schema-validation wording ("Invalid request.\n\nFor 'properties/x', 1 is not an array."). */
function invalidRequest(property: string, value: unknown, expected: string): string {
  return `Invalid request.\n\nFor 'properties/${property}', ${JSON.stringify(value)} is not ${expected}.`;
}

/** GitHub logins and repository names are case-insensitive. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export async function startGitHubEmulator(options: GitHubEmulatorOptions): Promise<GitHubEmulator> {
  const apps = options.apps;
  const installations = options.installations ?? [];
  const enterprise = Boolean(options.pathPrefix);
  const tokens = new Map<string, TokenRecord>();
  const publicKeyFor = publicKeyCache();

  // On GHES the docs are versioned and the web UI is the server root; on github.com both are fixed hosts.
  const docsBase = enterprise
    ? `https://docs.github.com/enterprise-server@${ENTERPRISE_VERSION}`
    : 'https://docs.github.com';
  const generalDocs = `${docsBase}/rest`;
  const appsDocs = `${docsBase}/rest/apps/apps`;
  const installationsDocs = `${docsBase}/rest/apps/installations`;
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: '/app',
      auth: 'jwt',
      docs: `${appsDocs}#get-the-authenticated-app`,
      handle: ({ app }) => ({ status: 200, body: appJson(app) }),
    },
    {
      method: 'GET',
      pattern: '/app/installations/:installation_id',
      auth: 'jwt',
      docs: `${appsDocs}#get-an-installation-for-the-authenticated-app`,
      handle: ({ app, params }, route) =>
        findInstallation(app, (i) => String(i.id) === params.installation_id, route.docs),
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/installation',
      auth: 'jwt',
      docs: `${appsDocs}#get-a-repository-installation-for-the-authenticated-app`,
      handle: ({ app, params }, route) =>
        findInstallation(
          app,
          (i) =>
            i.account.type !== 'Enterprise' &&
            sameName(i.account.login, params.owner) &&
            coveredRepository(i, params.repo) !== undefined,
          route.docs,
        ),
    },
    {
      // Any account: organizations are users too in GitHub's model, so this finds org installations.
      method: 'GET',
      pattern: '/users/:username/installation',
      auth: 'jwt',
      docs: `${appsDocs}#get-a-user-installation-for-the-authenticated-app`,
      handle: ({ app, params }, route) =>
        findInstallation(
          app,
          // An enterprise is no user: its installation is found only under /enterprises.
          (i) => i.account.type !== 'Enterprise' && sameName(i.account.login, params.username),
          route.docs,
        ),
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/installation',
      auth: 'jwt',
      docs: `${appsDocs}#get-an-organization-installation-for-the-authenticated-app`,
      handle: ({ app, params }, route) =>
        findInstallation(
          app,
          (i) => i.account.type === 'Organization' && sameName(i.account.login, params.org),
          route.docs,
        ),
    },
    {
      method: 'GET',
      pattern: '/enterprises/:enterprise/installation',
      auth: 'jwt',
      docs: `${appsDocs}#get-an-enterprise-installation-for-the-authenticated-app`,
      handle: ({ app, params }, route) =>
        findInstallation(
          app,
          (i) => i.account.type === 'Enterprise' && sameName(i.account.login, params.enterprise),
          route.docs,
        ),
    },
    {
      // The users GitHub knows here: every app's bot (<slug>[bot]) and the accounts apps are installed on.
      method: 'GET',
      pattern: '/users/:username',
      auth: 'installation',
      docs: `${docsBase}/rest/users/users#get-a-user`,
      forbidden: MESSAGES.requiresAuthentication,
      handle: ({ params }, route) => {
        const bot = apps.find((app) => sameName(`${app.slug}[bot]`, params.username));
        if (bot) return { status: 200, body: botUserJson(bot) };
        const account = installations
          .map((i) => i.account)
          .find((a) => a.type !== 'Enterprise' && sameName(a.login, params.username));
        return account ? { status: 200, body: accountJson(account) } : error(404, MESSAGES.notFound, route.docs);
      },
    },
    {
      method: 'POST',
      pattern: '/app/installations/:installation_id/access_tokens',
      auth: 'jwt',
      docs: `${appsDocs}#create-an-installation-access-token-for-an-app`,
      handle: createAccessToken,
    },
    {
      method: 'GET',
      pattern: '/installation/repositories',
      auth: 'installation',
      docs: `${installationsDocs}#list-repositories-accessible-to-the-app-installation`,
      forbidden: MESSAGES.listReposNeedsInstallationToken,
      handle: listRepositories,
    },
    {
      method: 'DELETE',
      pattern: '/installation/token',
      auth: 'installation',
      docs: `${installationsDocs}#revoke-an-installation-access-token`,
      forbidden: MESSAGES.revokeNeedsInstallationToken,
      handle: ({ token }) => {
        token.revoked = true;
        return { status: 204 };
      },
    },
  ];

  const controls = await startHttpEmulator({
    routes,
    pathPrefix: options.pathPrefix,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    tls: options.tls,
    urlHost: options.urlHost,
    bodyFormat: 'json',
    contentType: 'application/json; charset=utf-8',
    headers: () => ({
      'x-github-request-id': requestId(),
      'x-github-api-version-selected': '2022-11-28',
      ...(enterprise ? { 'x-github-enterprise-version': `${ENTERPRISE_VERSION}.0` } : {}),
    }),
    handle: handleAndTamper,
    emulatorError: (cause) => error(500, `Emulator error: ${cause instanceof Error ? cause.stack : String(cause)}`),
  });
  const { url: apiUrl, serverNow } = controls;
  const htmlUrl = enterprise ? new URL(apiUrl).origin : 'https://github.com';

  function error(status: number, message: string, docs = generalDocs): Reply {
    return { status, body: { message, documentation_url: docs, status: String(status) } };
  }

  /** `iss` is the App ID (an integer, or digits in a string) or the Client ID. */
  function findApp(issuer: unknown): EmulatedApp | undefined {
    if (typeof issuer === 'number') return apps.find((app) => app.id === issuer);
    if (typeof issuer !== 'string') return undefined;
    if (/^\d+$/.test(issuer)) return apps.find((app) => app.id === Number(issuer));
    return apps.find((app) => app.clientId === issuer);
  }

  /**
   * Checks an app JWT the way GitHub does. The exp checks come before the iat check: a runner whose clock is
   * ahead gets "exp is too far in the future" from GitHub even when its iat is in the future too.
   */
  function authenticateApp(authorization: string | undefined, docs: string): { app: EmulatedApp } | Reply {
    if (authorization === undefined) return error(401, MESSAGES.requiresAuthentication, docs);
    const parsed = parseAuthorization(authorization);
    // GitHub takes an app JWT only as "Bearer"; "token <jwt>" cannot be decoded.
    if (!parsed || parsed.scheme !== 'bearer') return error(401, MESSAGES.jwtUndecodable);
    const parts = parsed.credential.split('.');
    const header = parts.length === 3 ? parseJsonSegment(parts[0]) : undefined;
    const claims = parts.length === 3 ? parseJsonSegment(parts[1]) : undefined;
    if (!header || !claims || header.alg !== 'RS256') return error(401, MESSAGES.jwtUndecodable);
    const app = findApp(claims.iss);
    if (!app) return error(404, MESSAGES.integrationNotFound);
    let signatureValid = false;
    try {
      const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`);
      signatureValid = verify('sha256', signingInput, publicKeyFor(app.publicKey), Buffer.from(parts[2], 'base64url'));
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) return error(401, MESSAGES.jwtUndecodable);
    const now = serverNow();
    const { exp, iat } = claims;
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= now) return error(401, MESSAGES.jwtExpired);
    if (exp > now + JWT_MAX_LIFETIME_SECONDS) return error(401, MESSAGES.jwtTooLong);
    if (!Number.isInteger(iat) || (iat as number) > now + JWT_IAT_LEEWAY_SECONDS) return error(401, MESSAGES.jwtIat);
    return { app };
  }

  /** Installation endpoints take `token X` or `Bearer X`; the app's own JWT is refused with the route's 403. */
  function authenticateToken(
    authorization: string | undefined,
    route: InstallationRoute,
  ): { token: TokenRecord } | Reply {
    if (authorization === undefined) return error(401, MESSAGES.requiresAuthentication, route.docs);
    const parsed = parseAuthorization(authorization);
    if (!parsed || (parsed.scheme !== 'token' && parsed.scheme !== 'bearer'))
      return error(401, MESSAGES.badCredentials);
    if (parsed.scheme === 'bearer' && looksLikeJwt(parsed.credential)) {
      const asApp = authenticateApp(authorization, route.docs);
      return 'app' in asApp ? error(403, route.forbidden, route.docs) : asApp;
    }
    const token = tokens.get(parsed.credential);
    if (!token || token.revoked || token.expiresAt <= serverNow()) return error(401, MESSAGES.badCredentials);
    return { token };
  }

  function accountJson(account: EmulatedInstallation['account']) {
    const id = accountId(account);
    // An enterprise, as GitHub shows it: a slug and a name, no login or type.
    if (account.type === 'Enterprise')
      return {
        id,
        slug: account.login,
        name: account.login,
        node_id: Buffer.from(`010:Enterprise${id}`).toString('base64'),
        html_url: `${htmlUrl}/enterprises/${account.login}`,
        avatar_url: `https://avatars.githubusercontent.com/b/${id}?v=4`,
      };
    return {
      login: account.login,
      id,
      node_id: Buffer.from(`04:${account.type}${id}`).toString('base64'),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      url: `${apiUrl}/${account.type === 'Organization' ? 'orgs' : 'users'}/${account.login}`,
      html_url: `${htmlUrl}/${account.login}`,
      type: account.type,
      site_admin: false,
    };
  }

  /** An app's bot user, as GET /users/<slug>[bot] shows it. */
  function botUserJson(app: EmulatedApp) {
    const login = `${app.slug}[bot]`;
    const id = botUserId(app.slug);
    return {
      login,
      id,
      node_id: Buffer.from(`04:Bot${id}`).toString('base64'),
      avatar_url: `https://avatars.githubusercontent.com/in/${app.id}?v=4`,
      url: `${apiUrl}/users/${encodeURIComponent(login)}`,
      html_url: `${htmlUrl}/apps/${app.slug}`,
      type: 'Bot',
      site_admin: false,
    };
  }

  function repositoryJson(owner: EmulatedInstallation['account'], name: string) {
    const id = repositoryId(owner.login, name);
    return {
      id,
      node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
      name,
      full_name: `${owner.login}/${name}`,
      private: false,
      owner: accountJson(owner),
      html_url: `${htmlUrl}/${owner.login}/${name}`,
      url: `${apiUrl}/repos/${owner.login}/${name}`,
    };
  }

  function appJson(app: EmulatedApp) {
    return {
      id: app.id,
      slug: app.slug,
      node_id: Buffer.from(`03:Integration${app.id}`).toString('base64'),
      client_id: app.clientId,
      owner: accountJson({ login: app.owner, type: app.ownerType ?? 'Organization' }),
      name: app.name,
      description: '',
      external_url: `https://example.com/${app.slug}`,
      html_url: `${htmlUrl}/apps/${app.slug}`,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      permissions: { ...app.permissions },
      events: [...(app.events ?? [])],
      installations_count: installations.filter((installation) => installation.appId === app.id).length,
    };
  }

  function installationJson(installation: EmulatedInstallation, app: EmulatedApp) {
    const { account, id } = installation;
    return {
      id,
      client_id: app.clientId,
      account: accountJson(account),
      repository_selection: installation.repositorySelection,
      access_tokens_url: `${apiUrl}/app/installations/${id}/access_tokens`,
      repositories_url: `${apiUrl}/installation/repositories`,
      html_url:
        account.type === 'Organization'
          ? `${htmlUrl}/organizations/${account.login}/settings/installations/${id}`
          : `${htmlUrl}/settings/installations/${id}`,
      app_id: app.id,
      app_slug: app.slug,
      target_id: accountId(account),
      target_type: account.type,
      ...(account.type === 'Enterprise' ? { repository_selection: 'all' } : {}),
      permissions: { ...installation.permissions },
      events: [...(app.events ?? [])],
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: installation.suspended ? accountJson(account) : null,
      suspended_at: installation.suspended ? CREATED_AT : null,
    };
  }

  /** The installation's own spelling of a repository it covers; with 'all', any name of the account. */
  function coveredRepository(installation: EmulatedInstallation, name: string): string | undefined {
    const listed = installation.repositories.find((repository) => sameName(repository, name));
    if (listed) return listed;
    return installation.repositorySelection === 'all' && /^[\w.-]+$/.test(name) ? name : undefined;
  }

  function installationsOf(app: EmulatedApp): EmulatedInstallation[] {
    return installations.filter((installation) => installation.appId === app.id);
  }

  function findInstallation(app: EmulatedApp, test: (installation: EmulatedInstallation) => boolean, docs: string) {
    const installation = installationsOf(app).find(test);
    return installation
      ? { status: 200, body: installationJson(installation, app) }
      : error(404, MESSAGES.notFound, docs);
  }

  /** Which repositories a token request names; undefined when it names none (the whole installation). */
  function requestedRepositories(
    installation: EmulatedInstallation,
    body: Record<string, unknown>,
    docs: string,
  ): { repositories: string[] | undefined } | Reply {
    const { repositories, repository_ids: ids } = body;
    if (repositories !== undefined && !stringArray(repositories))
      return error(422, invalidRequest('repositories', repositories, 'an array of strings'), docs);
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => Number.isInteger(id))))
      return error(422, invalidRequest('repository_ids', ids, 'an array of integers'), docs);
    const names = repositories ?? [];
    const idList = (ids as number[] | undefined) ?? [];
    if (names.length === 0 && idList.length === 0) return { repositories: undefined };
    // An enterprise installation reaches the enterprise itself, no repository.
    if (installation.account.type === 'Enterprise') return error(422, MESSAGES.repositoriesNotAccessible, docs);
    const chosen: string[] = [];
    for (const name of names) {
      const covered = coveredRepository(installation, name);
      if (!covered) return error(422, MESSAGES.repositoriesNotAccessible, docs);
      chosen.push(covered);
    }
    for (const id of idList) {
      const listed = installation.repositories.find((name) => repositoryId(installation.account.login, name) === id);
      if (!listed) return error(422, MESSAGES.repositoriesNotAccessible, docs);
      chosen.push(listed);
    }
    return { repositories: [...new Set(chosen)] };
  }

  /**
   * At most the installation's permissions. GitHub adds metadata:read to a narrowed token when the
   * installation has it, as every repository token needs it.
   */
  function grantedPermissions(
    installation: EmulatedInstallation,
    asked: unknown,
    docs: string,
  ): { granted: Permissions } | Reply {
    if (asked === undefined || (asked !== null && typeof asked === 'object' && Object.keys(asked).length === 0))
      return { granted: { ...installation.permissions } };
    if (asked === null || typeof asked !== 'object' || Array.isArray(asked))
      return error(422, invalidRequest('permissions', asked, 'an object'), docs);
    const granted: Permissions = {};
    for (const [name, level] of Object.entries(asked)) {
      const known = GITHUB_APP_PERMISSIONS[name];
      const held = installation.permissions[name];
      if (!known || !known.includes(level as PermissionLevel) || !held)
        return error(422, MESSAGES.permissionsNotGranted, docs);
      if (LEVEL_RANK[level as string] > LEVEL_RANK[held]) return error(422, MESSAGES.permissionLevelNotGranted, docs);
      granted[name] = level as PermissionLevel;
    }
    if (installation.permissions.metadata && !granted.metadata) granted.metadata = 'read';
    return { granted };
  }

  function createAccessToken(context: RequestContext & { app: EmulatedApp }, route: RouteInfo): Reply {
    const installation = installationsOf(context.app).find((i) => String(i.id) === context.params.installation_id);
    if (!installation) return error(404, MESSAGES.notFound, route.docs);
    if (installation.suspended) return error(403, MESSAGES.suspended, route.docs);
    if (!context.bodyIsJson) return error(400, MESSAGES.problemsParsingJson, route.docs);
    const body = context.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return error(422, `Invalid request.\n\n${JSON.stringify(body)} is not an object.`, route.docs);
    const scope = requestedRepositories(installation, body as Record<string, unknown>, route.docs);
    if (!('repositories' in scope)) return scope;
    const permissions = grantedPermissions(installation, (body as Record<string, unknown>).permissions, route.docs);
    if (!('granted' in permissions)) return permissions;
    const record: TokenRecord = {
      token: 'ghs_' + randomToken(36),
      installationId: installation.id,
      expiresAt: serverNow() + INSTALLATION_TOKEN_LIFETIME_SECONDS,
      revoked: false,
      permissions: permissions.granted,
      repositories: scope.repositories,
    };
    tokens.set(record.token, record);
    return {
      status: 201,
      body: {
        token: record.token,
        expires_at: isoSeconds(record.expiresAt),
        permissions: record.permissions,
        repository_selection: record.repositories ? 'selected' : installation.repositorySelection,
        // GitHub lists repositories only when the request named some.
        ...(record.repositories && {
          repositories: record.repositories.map((name) => repositoryJson(installation.account, name)),
        }),
      },
    };
  }

  function listRepositories(context: RequestContext & { token: TokenRecord }, route: RouteInfo): Reply {
    const installation = installations.find((i) => i.id === context.token.installationId);
    if (!installation) return error(401, MESSAGES.badCredentials);
    if (installation.suspended) return error(403, MESSAGES.suspended, route.docs);
    const names = context.token.repositories ?? installation.repositories;
    const perPage = Math.min(Math.max(Number(context.query.get('per_page')) || 30, 1), 100);
    const lastPage = Math.max(Math.ceil(names.length / perPage), 1);
    const page = Math.max(Number(context.query.get('page')) || 1, 1);
    const pageUrl = (n: number) => `<${apiUrl}/installation/repositories?per_page=${perPage}&page=${n}>`;
    const links = [
      ...(page > 1 ? [`${pageUrl(page - 1)}; rel="prev"`, `${pageUrl(1)}; rel="first"`] : []),
      ...(page < lastPage ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`] : []),
    ];
    return {
      status: 200,
      headers: links.length ? { link: links.join(', ') } : {},
      body: {
        total_count: names.length,
        repository_selection: context.token.repositories ? 'selected' : installation.repositorySelection,
        repositories: names
          .slice((page - 1) * perPage, page * perPage)
          .map((name) => repositoryJson(installation.account, name)),
      },
    };
  }

  const tampers: { method: string; segments: string[]; edit: (answer: Reply) => Reply }[] = [];
  const segmentsOf = (path: string) => path.split('/').filter(Boolean);

  /** The emulator's answer, then the first queued edit for its route (':name' segments match any pattern segment). */
  function handleAndTamper(request: EmulatedRequest<Route>): Reply {
    const answer = handle(request);
    const { route } = request;
    if (!route) return answer;
    const pattern = segmentsOf(route.pattern);
    const index = tampers.findIndex(
      (t) =>
        t.method === route.method &&
        t.segments.length === pattern.length &&
        t.segments.every(
          (segment, i) => segment === pattern[i] || (segment.startsWith(':') && pattern[i].startsWith(':')),
        ),
    );
    return index === -1 ? answer : tampers.splice(index, 1)[0].edit(answer);
  }

  function handle(request: EmulatedRequest<Route>): Reply {
    const { route, headers } = request;
    // GitHub answers an unknown path, and a known path with the wrong method, with a plain 404.
    if (!route) return error(404, MESSAGES.notFound);
    const { params, query, body } = request;
    const context = { params, query, body, bodyIsJson: request.bodyKind !== 'text' };
    if (route.auth === 'jwt') {
      const result = authenticateApp(headers.authorization, route.docs);
      return 'app' in result ? route.handle({ ...context, app: result.app }, route) : result;
    }
    const result = authenticateToken(headers.authorization, route);
    return 'token' in result ? route.handle({ ...context, token: result.token }, route) : result;
  }

  return {
    ...controls,
    htmlUrl,
    tamper(route, edit) {
      const match = /^([A-Za-z]+)\s+(\S+)$/.exec(route.trim());
      if (!match) throw new Error(`tamper(): route '${route}' is not 'METHOD /path'`);
      tampers.push({ method: match[1].toUpperCase(), segments: segmentsOf(match[2]), edit });
    },
    issuedTokens: () =>
      [...tokens.values()].map((t) => ({
        token: t.token,
        installationId: t.installationId,
        expiresAt: isoSeconds(t.expiresAt),
        revoked: t.revoked,
        permissions: { ...t.permissions },
        repositories: t.repositories && [...t.repositories],
      })),
    expireToken(token) {
      const record = tokens.get(token);
      if (!record) throw new Error('expireToken(): the emulator never issued that token');
      record.expiresAt = serverNow();
    },
  };
}

/** Base62, as GitHub's tokens are. */
function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Shaped like GitHub's, e.g. 0C1E:3F2A:1B4C5D:1C5D6E:66A1B2C3. */
function requestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}
