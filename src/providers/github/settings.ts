// Every GitHub input, validated, in one typed value: who the app is, how it proves itself, and which
// installation token (if any) is wanted.
import { InputError } from '../../errors.js';
import { parseApiBase } from '../../settings/api-url.js';
import { isSet, type Env, type InputReader } from '../../settings/inputs.js';
import { readSigningKey } from '../../settings/signing-key.js';
import { showValue } from '../../settings/value-shape.js';
import type { SettingsContext } from '../provider.js';
import {
  decodePresignedJwt,
  GITHUB_DEFAULT_JWT_SECONDS,
  GITHUB_MAX_JWT_SECONDS,
  parseGitHubIssuer,
  type AppCredential,
} from './app-jwt.js';
import type { Permissions } from './permissions.js';
import { whyNoSecret } from './fallback.js';
import { asksForToken, readTargets, type InstallationTarget } from './targets.js';
import { webUrl } from './urls.js';

export type { InstallationTarget } from './targets.js';

export interface GitHubExchange {
  apiUrl: string;
  /** One per account, in the order the inputs list them; the first one's token is the `token` output. */
  targets: InstallationTarget[];
  skipTokenRevoke: boolean;
  /** bot-identity (or configure-git): look the app's bot user up. */
  botIdentity: boolean;
  /** configure-git: the server git may send the tokens to (the origin of GITHUB_SERVER_URL). */
  git?: { serverUrl: string };
}

/** No key at all, and fallback-token given: the step passes that token on. */
export interface GitHubFallback {
  provider: 'github';
  fallback: { token: string; why: string };
}

export type GitHubSettings = GitHubAppSettings | GitHubFallback;

export interface GitHubAppSettings {
  provider: 'github';
  fallback?: undefined;
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
  'enterprise',
  'bot-identity',
  'configure-git',
  'fallback-token',
] as const;

/**
 * The app, from client-id or app-id. Both set and different: client-id wins, as it does in
 * actions/create-github-app-token (a workflow moving from it may keep an old app-id), with a warning naming both.
 */
function readIssuer(read: InputReader, warn?: (message: string) => void): number | string | undefined {
  const appId = read.text('app-id');
  const clientId = read.text('client-id');
  if (appId && clientId && appId !== clientId)
    warn?.(
      `client-id (${showValue(clientId)}) and app-id (${showValue(appId)}) are both set, and differ: the action uses client-id, as actions/create-github-app-token does. Remove app-id, or set it to the same app.`,
    );
  const value = clientId || appId;
  return value ? parseGitHubIssuer(value, clientId ? 'client-id' : 'app-id') : undefined;
}

async function readPermissions(read: InputReader): Promise<Permissions | undefined> {
  const text = read.text('permissions');
  if (!text) return undefined;
  // Loaded only when asked for: it brings a YAML parser that a JWT-only run does not need.
  const { parsePermissions } = await import('./permissions.js');
  return parsePermissions(text);
}

/**
 * GITHUB_SERVER_URL's origin, checked like an API URL: git will send the tokens there. It is no input, so a
 * problem with it is told on configure-git, the input that makes it matter.
 */
function readServerUrl(env: Env, apiUrl: string): string {
  const text = env.GITHUB_SERVER_URL || webUrl(apiUrl).base;
  try {
    return new URL(parseApiBase(text, 'GITHUB_SERVER_URL')).origin;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      'configure-git',
      `git would send the tokens to the server in GITHUB_SERVER_URL, and it cannot be used: ${error.detail}`,
    );
  }
}

async function readExchange(read: InputReader, env: Env, presigned: boolean): Promise<GitHubExchange | undefined> {
  const configureGit = read.boolean('configure-git');
  const botIdentity = read.boolean('bot-identity') || configureGit;
  // The bot's identity is looked up with the token, and git needs one: both ask for a token.
  const wanted = read.boolean('exchange') || presigned || asksForToken(read) || botIdentity;
  if (!wanted) {
    for (const name of ['permissions', 'skip-token-revoke'])
      if (isSet(read.text(name)))
        throw new InputError(
          name,
          'applies to an installation token, and this step only signs a JWT. Set exchange: true (or owner, repositories or installation-id) to get a token.',
        );
    return undefined;
  }
  const targets = readTargets(read, env, await readPermissions(read));
  const apiUrl = parseApiBase(
    read.text('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com',
    'github-api-url',
  );
  return {
    apiUrl,
    targets,
    skipTokenRevoke: read.boolean('skip-token-revoke'),
    botIdentity,
    git: configureGit ? { serverUrl: readServerUrl(env, apiUrl) } : undefined,
  };
}

export async function readGitHubSettings(
  read: InputReader,
  { env, clock, warn }: SettingsContext,
): Promise<GitHubSettings> {
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
  if (!jwtText && !keyText && !kmsText) {
    const why = whyNoSecret(env);
    const fallback = read.text('fallback-token');
    if (fallback)
      return {
        provider: 'github',
        fallback: { token: fallback, why: why ?? 'private-key, kms-key and jwt are all empty' },
      };
    if (why)
      throw new InputError(
        'private-key',
        `is empty: ${why}. To let the job go on without the app in such runs, set fallback-token: \${{ github.token }}; or skip the step there (if: github.event.pull_request.head.repo.fork != true).`,
      );
  }
  let issuer = readIssuer(read, warn);
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
