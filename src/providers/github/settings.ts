// Every GitHub input, validated, in one typed value: who the app is, how it proves itself, and which
// installation token (if any) is wanted.
import { InputError } from '../../errors.js';
import { parseApiBase } from '../../settings/api-url.js';
import { isSet, type Env, type InputReader } from '../../settings/inputs.js';
import { readSigningKey } from '../../settings/signing-key.js';
import type { SettingsContext } from '../provider.js';
import {
  decodePresignedJwt,
  GITHUB_DEFAULT_JWT_SECONDS,
  GITHUB_MAX_JWT_SECONDS,
  parseGitHubIssuer,
  type AppCredential,
} from './app-jwt.js';
import type { Permissions } from './permissions.js';

/** Which installation to use and what the token may reach. */
export interface InstallationTarget {
  /** Given: no lookup. */
  installationId?: number;
  owner: string;
  /** Names within `owner`; empty means every repository the installation can reach. */
  repositories: string[];
  permissions?: Permissions;
}

export interface GitHubExchange {
  apiUrl: string;
  target: InstallationTarget;
  skipTokenRevoke: boolean;
}

export interface GitHubSettings {
  provider: 'github';
  /** The app, as sent in `iss`; from the presigned JWT when that is what was given. */
  issuer: number | string;
  credential: AppCredential;
  jwtExpiresIn: number;
  /** Present when an installation token is wanted. */
  exchange?: GitHubExchange;
}

export const GITHUB_INPUTS = [
  'app-id',
  'client-id',
  'private-key',
  'kms-key',
  'jwt',
  'jwt-expires-in',
  'exchange',
  'installation-id',
  'owner',
  'repositories',
  'permissions',
  'github-api-url',
  'skip-token-revoke',
] as const;

function readIssuer(read: InputReader): number | string | undefined {
  const appId = read.text('app-id');
  const clientId = read.text('client-id');
  if (appId && clientId && appId !== clientId)
    throw new InputError(
      'client-id',
      `'${clientId}' differs from app-id '${appId}'. They name the same thing; set only one of them.`,
    );
  const value = appId || clientId;
  return value ? parseGitHubIssuer(value, appId ? 'app-id' : 'client-id') : undefined;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

function readOwner(read: InputReader): string | undefined {
  const owner = read.text('owner');
  if (!owner) return undefined;
  if (owner.includes('/'))
    throw new InputError(
      'owner',
      `'${owner}' is a repository, not an account. Set owner to '${owner.split('/')[0]}' and repositories to '${owner.split('/').slice(1).join('/')}'.`,
    );
  if (!LOGIN.test(owner))
    throw new InputError(
      'owner',
      `'${owner}' is not a GitHub user or organization name (letters, digits and single hyphens, at most 39).`,
    );
  return owner;
}

function currentRepository(env: Env): { owner: string; name: string } | undefined {
  const [owner, name, extra] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && name && extra === undefined ? { owner, name } : undefined;
}

function readRepositories(read: InputReader, owner: string, ownerSource: string): string[] {
  const entries = read
    .text('repositories')
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const names: string[] = [];
  for (const entry of entries) {
    const parts = entry.split('/');
    const name = parts.at(-1) ?? '';
    if (parts.length > 2 || !REPOSITORY.test(name))
      throw new InputError(
        'repositories',
        `'${entry}' is not a repository name; write names (api, web) or owner/name, separated by commas or new lines.`,
      );
    if (parts.length === 2 && parts[0].toLowerCase() !== owner.toLowerCase())
      throw new InputError(
        'repositories',
        `'${entry}' belongs to '${parts[0]}', but the token is for repositories of '${owner}' (${ownerSource}). A token covers one account: set owner: ${parts[0]}, or use a separate step for each account.`,
      );
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}

async function readPermissions(read: InputReader): Promise<Permissions | undefined> {
  const text = read.text('permissions');
  if (!text) return undefined;
  // Loaded only when asked for: it brings a YAML parser that a JWT-only run does not need.
  const { parsePermissions } = await import('./permissions.js');
  return parsePermissions(text);
}

function readInstallationId(read: InputReader): number | undefined {
  const text = read.text('installation-id');
  if (!text) return undefined;
  const id = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(id > 0 && Number.isSafeInteger(id)))
    throw new InputError(
      'installation-id',
      `'${text}' is not an installation ID (a positive whole number, the last part of the installation's settings URL).`,
    );
  return id;
}

async function readExchange(read: InputReader, env: Env, presigned: boolean): Promise<GitHubExchange | undefined> {
  const installationId = readInstallationId(read);
  const ownerInput = readOwner(read);
  const wanted =
    read.boolean('exchange') ||
    presigned ||
    installationId !== undefined ||
    !!ownerInput ||
    !!read.text('repositories');
  if (!wanted) {
    for (const name of ['permissions', 'skip-token-revoke'])
      if (isSet(read.text(name)))
        throw new InputError(
          name,
          'applies to an installation token, and this step only signs a JWT. Set exchange: true (or owner, repositories or installation-id) to get a token.',
        );
    return undefined;
  }
  const current = currentRepository(env);
  const owner = ownerInput ?? current?.owner;
  if (!owner)
    throw new InputError(
      'owner',
      'is needed outside a workflow run (GITHUB_REPOSITORY is not set), installation-id or not: set it to the account the app is installed on.',
    );
  let repositories = readRepositories(read, owner, ownerInput ? 'the owner input' : "the current repository's owner");
  if (!repositories.length && !ownerInput && current) repositories = [current.name];
  const apiUrl = parseApiBase(
    read.text('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com',
    'github-api-url',
  );
  return {
    apiUrl,
    target: { installationId, owner, repositories, permissions: await readPermissions(read) },
    skipTokenRevoke: read.boolean('skip-token-revoke'),
  };
}

export async function readGitHubSettings(read: InputReader, { env, clock }: SettingsContext): Promise<GitHubSettings> {
  const jwtText = read.text('jwt');
  const keyText = read.text('private-key');
  const kmsText = read.text('kms-key');
  if (jwtText && keyText)
    throw new InputError(
      'jwt',
      'and private-key are both set. Give the private key to have the action sign, or a JWT signed elsewhere (a KMS or HSM), not both.',
    );
  if (kmsText && jwtText)
    throw new InputError(
      'kms-key',
      'and jwt are both set. Give kms-key to have the action sign with a key a signing service holds, or a JWT signed elsewhere, not both.',
    );
  let issuer = readIssuer(read);
  const jwtExpiresIn = read.seconds(
    'jwt-expires-in',
    { min: 1, max: GITHUB_MAX_JWT_SECONDS, fallback: GITHUB_DEFAULT_JWT_SECONDS },
    'GitHub refuses app JWTs that expire more than 10 minutes ahead.',
  );
  if (jwtText) {
    const jwt = decodePresignedJwt(jwtText, clock);
    if (issuer !== undefined && String(issuer) !== String(jwt.issuer))
      throw new InputError(
        'app-id',
        `'${issuer}' differs from the iss claim of the jwt input ('${jwt.issuer}'). Leave app-id out, or sign the JWT for this app.`,
      );
    issuer = jwt.issuer;
    return {
      provider: 'github',
      issuer,
      credential: { kind: 'presigned', jwt },
      jwtExpiresIn,
      exchange: await readExchange(read, env, true),
    };
  }
  if (issuer === undefined)
    throw new InputError(
      'app-id',
      "is required: set it to the GitHub App's App ID or Client ID, from the app's settings page (app-id: ${{ vars.APP_ID }}).",
    );
  return {
    provider: 'github',
    issuer,
    credential: readSigningKey(read),
    jwtExpiresIn,
    exchange: await readExchange(read, env, false),
  };
}
