// GitHub's answers, checked field by field before anything is used: text from a server never becomes a path
// segment, an output or a log line unchecked, and a success answer that cannot be used is a failure that names
// the field and the server.
import { GitHubApiError } from './api.js';
import type { Permissions } from './permissions.js';
import { ENTERPRISE_SLUG, isRepositoryName, LOGIN } from './targets.js';

export interface Installation {
  id: number;
  appSlug?: string;
  account?: { login: string; type: string };
  permissions?: Permissions;
}

export interface AccessToken {
  token: string;
  expiresAt: Date;
  permissions: Permissions;
  /** Names; undefined when the answer lists none (the whole installation). */
  repositories?: string[];
}

const APP_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,99})$/i;
const PERMISSION_NAME = /^[a-z][a-z0-9_]{0,99}$/;
const LEVELS = new Set(['read', 'write', 'admin']);

/** A field that cannot be used: the step fails naming it, the request and the server. */
function unusable(what: string, field: string, problem: string, apiUrl: string): GitHubApiError {
  return new GitHubApiError(
    `GitHub answered ${what}, but its ${field} ${problem}: the server at ${apiUrl} does not answer like GitHub's REST API. Check github-api-url.`,
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

export const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

function readPermissions(value: unknown, what: string, apiUrl: string): Permissions {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw unusable(what, '`permissions`', 'is not an object', apiUrl);
  const out: Permissions = {};
  for (const [name, level] of Object.entries(value)) {
    if (!PERMISSION_NAME.test(name) || typeof level !== 'string' || !LEVELS.has(level))
      throw unusable(what, '`permissions`', 'holds an entry that is not a permission name and level', apiUrl);
    out[name] = level as Permissions[string];
  }
  return out;
}

/** An installation as GET …/installation answers it. */
export function readInstallation(body: unknown, what: string, apiUrl: string): Installation {
  if (!isObject(body)) throw unusable(what, 'body', 'is not an installation (not a JSON object)', apiUrl);
  if (!isId(body.id)) throw unusable(what, '`id`', 'is not a positive whole number', apiUrl);
  const installation: Installation = { id: body.id, permissions: readPermissions(body.permissions, what, apiUrl) };
  if (body.app_slug !== undefined) {
    if (typeof body.app_slug !== 'string' || !APP_SLUG.test(body.app_slug))
      throw unusable(what, '`app_slug`', 'is not an app slug (letters, digits and hyphens)', apiUrl);
    installation.appSlug = body.app_slug;
  }
  if (body.account !== undefined && body.account !== null) {
    const account = body.account as Record<string, unknown>;
    // An enterprise (target_type Enterprise) has no account type; the others say User or Organization.
    const type =
      body.target_type === 'Enterprise' ? 'Enterprise' : typeof account.type === 'string' ? account.type : 'User';
    const rule = type === 'Enterprise' ? ENTERPRISE_SLUG : LOGIN;
    // An enterprise account is named by its slug; the name of a user or organization is its login.
    const login = type === 'Enterprise' ? (account.slug ?? account.login) : account.login;
    if (!isObject(account) || typeof login !== 'string' || !rule.test(login) || !/^[A-Za-z]{1,30}$/.test(type))
      throw unusable(what, '`account`', 'does not name a GitHub account', apiUrl);
    installation.account = { login, type };
  }
  return installation;
}

/** An installation access token as POST …/access_tokens answers it. */
export function readAccessToken(body: unknown, what: string, apiUrl: string): AccessToken {
  if (!isObject(body)) throw unusable(what, 'body', 'is not a JSON object', apiUrl);
  const { token } = body;
  // GitHub's tokens have grown before (2026): no length or alphabet is assumed beyond printable, one line.
  if (typeof token !== 'string' || !token || token.length > 10_000 || !/^[\x21-\x7e]+$/.test(token))
    throw unusable(what, '`token`', 'is missing or not a token (one line of printable characters)', apiUrl);
  const expiresAt = typeof body.expires_at === 'string' ? new Date(body.expires_at) : new Date(NaN);
  if (Number.isNaN(expiresAt.getTime())) throw unusable(what, '`expires_at`', 'is missing or not a date', apiUrl);
  const granted: AccessToken = { token, expiresAt, permissions: readPermissions(body.permissions, what, apiUrl) };
  if (body.repositories !== undefined) {
    const names = Array.isArray(body.repositories)
      ? body.repositories.map((repository) => (isObject(repository) ? repository.name : undefined))
      : undefined;
    if (!names || !names.every((name): name is string => typeof name === 'string' && isRepositoryName(name)))
      throw unusable(what, '`repositories`', 'is not a list of repositories', apiUrl);
    granted.repositories = names;
  }
  return granted;
}

/** The app's slug as GET /app answers it. */
export function readAppSlug(body: unknown, apiUrl: string): string {
  const slug = isObject(body) ? body.slug : undefined;
  if (typeof slug !== 'string' || !APP_SLUG.test(slug))
    throw unusable('200 to GET /app', '`slug`', 'is not an app slug (letters, digits and hyphens)', apiUrl);
  return slug;
}

/** The bot user's id, checking the answer is the bot of `slug`. */
export function readBotUserId(body: unknown, slug: string, apiUrl: string): number {
  const what = `200 to GET /users/${slug}[bot]`;
  if (!isObject(body) || typeof body.login !== 'string' || body.login.toLowerCase() !== `${slug}[bot]`.toLowerCase())
    throw unusable(what, '`login`', `is not ${slug}[bot]`, apiUrl);
  if (!isId(body.id)) throw unusable(what, '`id`', 'is not a positive whole number', apiUrl);
  return body.id;
}
