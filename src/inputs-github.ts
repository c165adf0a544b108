import { parseApiBase } from './api-url.js';
import { InputError } from './errors.js';
import { FALSE, readBoolean, readPrivateKey, readSeconds, type Env, type GetInput } from './input-readers.js';
import type { PrivateKey } from './private-key.js';
import { GITHUB_DEFAULT_JWT_SECONDS, GITHUB_MAX_JWT_SECONDS, parseGitHubIssuer } from './providers/github.js';
import type { InstallationTarget } from './providers/github-installation.js';
import { decodePresignedJwt, type PresignedJwt } from './presigned-jwt.js';

export interface GitHubExchange {
  apiUrl: string;
  target: InstallationTarget;
  skipTokenRevoke: boolean;
}

export interface GitHubSettings {
  provider: 'github';
  /** The app, as sent in `iss`; from the presigned JWT when that is what was given. */
  issuer: number | string;
  /** Absent when a JWT signed elsewhere is given in the `jwt` input. */
  privateKey?: PrivateKey;
  presignedJwt?: PresignedJwt;
  jwtExpiresIn: number;
  /** Present when an installation token is wanted. */
  exchange?: GitHubExchange;
}

function readIssuer(getInput: GetInput): number | string | undefined {
  const appId = getInput('app-id');
  const clientId = getInput('client-id');
  if (appId && clientId && appId !== clientId)
    throw new InputError(
      'client-id',
      `'${clientId}' differs from app-id '${appId}'. They name the same thing; set only one of them.`,
    );
  const value = appId || clientId;
  if (!value) return undefined;
  const issuer = parseGitHubIssuer(value);
  if (typeof issuer === 'object') throw new InputError(appId ? 'app-id' : 'client-id', issuer.problem);
  return issuer;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

function readOwner(getInput: GetInput): string | undefined {
  const owner = getInput('owner');
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

function readRepositories(getInput: GetInput, owner: string, ownerSource: string): string[] {
  const entries = getInput('repositories')
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

async function readPermissions(getInput: GetInput) {
  const text = getInput('permissions');
  if (!text) return undefined;
  // Loaded only when asked for: it brings a YAML parser that a JWT-only run does not need.
  const { parsePermissions, PermissionsError } = await import('./permissions.js');
  try {
    return parsePermissions(text);
  } catch (error) {
    if (error instanceof PermissionsError) throw new InputError('permissions', error.message);
    throw error;
  }
}

async function readExchange(getInput: GetInput, env: Env, presigned: boolean): Promise<GitHubExchange | undefined> {
  const installationText = getInput('installation-id');
  const ownerInput = readOwner(getInput);
  const wanted =
    readBoolean(getInput, 'exchange') || presigned || !!installationText || !!ownerInput || !!getInput('repositories');
  if (!wanted) {
    for (const name of ['permissions', 'skip-token-revoke'])
      if (getInput(name) && !FALSE.includes(getInput(name)))
        throw new InputError(
          name,
          'applies to an installation token, and this step only signs a JWT. Set exchange: true (or owner, repositories or installation-id) to get a token.',
        );
    return undefined;
  }
  let installationId: number | undefined;
  if (installationText) {
    installationId = /^\d+$/.test(installationText) ? Number(installationText) : NaN;
    if (!(installationId > 0 && Number.isSafeInteger(installationId)))
      throw new InputError(
        'installation-id',
        `'${installationText}' is not an installation ID (a positive whole number, the last part of the installation's settings URL).`,
      );
  }
  const current = currentRepository(env);
  const owner = ownerInput ?? current?.owner;
  if (!owner)
    throw new InputError(
      'owner',
      'is needed to find the installation outside a workflow run (GITHUB_REPOSITORY is not set): set owner, repositories or installation-id.',
    );
  let repositories = readRepositories(
    getInput,
    owner,
    ownerInput ? 'the owner input' : "the current repository's owner",
  );
  if (!repositories.length && !ownerInput && current) repositories = [current.name];
  const apiUrl = parseApiBase(
    getInput('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com',
    'github-api-url',
  );
  return {
    apiUrl,
    target: { installationId, owner, repositories, permissions: await readPermissions(getInput) },
    skipTokenRevoke: readBoolean(getInput, 'skip-token-revoke'),
  };
}

export async function readGitHubSettings(getInput: GetInput, env: Env): Promise<GitHubSettings> {
  const jwtText = getInput('jwt');
  const keyText = getInput('private-key');
  if (jwtText && keyText)
    throw new InputError(
      'jwt',
      'and private-key are both set. Give the private key to have the action sign, or a JWT signed elsewhere (a KMS or HSM), not both.',
    );
  let issuer = readIssuer(getInput);
  const jwtExpiresIn = readSeconds(
    getInput,
    'jwt-expires-in',
    { min: 1, max: GITHUB_MAX_JWT_SECONDS, fallback: GITHUB_DEFAULT_JWT_SECONDS },
    'GitHub refuses app JWTs that expire more than 10 minutes ahead.',
  );
  if (jwtText) {
    const presignedJwt = decodePresignedJwt(jwtText);
    if (issuer !== undefined && String(issuer) !== String(presignedJwt.issuer))
      throw new InputError(
        'app-id',
        `'${issuer}' differs from the iss claim of the jwt input ('${presignedJwt.issuer}'). Leave app-id out, or sign the JWT for this app.`,
      );
    issuer = presignedJwt.issuer;
    return {
      provider: 'github',
      issuer,
      presignedJwt,
      jwtExpiresIn,
      exchange: await readExchange(getInput, env, true),
    };
  }
  if (issuer === undefined)
    throw new InputError(
      'app-id',
      "is required: set it to the GitHub App's App ID or Client ID, from the app's settings page (app-id: ${{ vars.APP_ID }}).",
    );
  const privateKey = readPrivateKey(getInput);
  return { provider: 'github', issuer, privateKey, jwtExpiresIn, exchange: await readExchange(getInput, env, false) };
}
