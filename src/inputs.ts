import { InputError } from './errors.js';
import { normalizePrivateKey, PrivateKeyError, type PrivateKey } from './private-key.js';
import { GITHUB_DEFAULT_JWT_SECONDS, GITHUB_MAX_JWT_SECONDS, parseGitHubIssuer } from './providers/github.js';

export interface GitHubSettings {
  provider: 'github';
  issuer: number | string;
  privateKey: PrivateKey;
  jwtExpiresIn: number;
}

export type Settings = GitHubSettings;

type GetInput = (name: string) => string;

function readIssuer(getInput: GetInput): number | string {
  const appId = getInput('app-id');
  const clientId = getInput('client-id');
  if (appId && clientId && appId !== clientId)
    throw new InputError(
      'client-id',
      `'${clientId}' differs from app-id '${appId}'. They name the same thing; set only one of them.`,
    );
  const value = appId || clientId;
  const name = appId ? 'app-id' : 'client-id';
  if (!value)
    throw new InputError(
      'app-id',
      "is required: set it to the GitHub App's App ID or Client ID, from the app's settings page (app-id: ${{ vars.APP_ID }}).",
    );
  const issuer = parseGitHubIssuer(value);
  if (typeof issuer === 'object') throw new InputError(name, issuer.problem);
  return issuer;
}

export function readSeconds(
  getInput: GetInput,
  name: string,
  min: number,
  max: number,
  fallback: number,
  why: string,
): number {
  const value = getInput(name);
  if (!value) return fallback;
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= min && seconds <= max))
    throw new InputError(name, `'${value}' is not a whole number of seconds from ${min} to ${max}. ${why}`);
  return seconds;
}

export function readPrivateKey(getInput: GetInput): PrivateKey {
  try {
    return normalizePrivateKey(getInput('private-key'));
  } catch (error) {
    if (error instanceof PrivateKeyError) throw new InputError('private-key', error.message);
    throw error;
  }
}

/** Every input the action reads, validated, in one typed value. */
export function readSettings(getInput: GetInput): Settings {
  const issuer = readIssuer(getInput);
  const jwtExpiresIn = readSeconds(
    getInput,
    'jwt-expires-in',
    1,
    GITHUB_MAX_JWT_SECONDS,
    GITHUB_DEFAULT_JWT_SECONDS,
    'GitHub refuses app JWTs that expire more than 10 minutes ahead.',
  );
  return { provider: 'github', issuer, privateKey: readPrivateKey(getInput), jwtExpiresIn };
}
