import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import { InputError } from './errors.js';
import { readSettings, type Settings } from './inputs.js';
import { signJwt } from './jwt.js';
import { maskSecrets, publishCredentials } from './outputs.js';
import { githubAppClaims } from './providers/github.js';
import type { Runner } from './runner.js';

export interface MainDependencies {
  runner: Runner;
  clock: Clock;
}

function issueGitHubAppJwt(settings: Settings, clock: Clock): Credentials {
  const jwt = signJwt(githubAppClaims(settings.issuer, settings.jwtExpiresIn, clock), settings.privateKey.key);
  return {
    token: jwt.token,
    tokenType: 'jwt',
    expiresAt: jwt.expiresAt,
    jwt,
    secrets: [jwt.token, jwt.signature],
    outputs: {},
  };
}

export function describeFailure(error: unknown): string {
  if (error instanceof InputError) return error.message;
  return `app-jwt-action failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** The main step: read the inputs, make the credentials, publish them. Never throws. */
export async function runMain({ runner, clock }: MainDependencies): Promise<void> {
  try {
    const settings = readSettings((name) => runner.getInput(name));
    maskSecrets(runner, settings.privateKey.secrets);
    const credentials = issueGitHubAppJwt(settings, clock);
    publishCredentials(runner, credentials);
    runner.info(
      `Signed a GitHub App JWT for app ${settings.issuer}; it expires at ${credentials.expiresAt.toISOString()}.`,
    );
  } catch (error) {
    runner.setFailed(describeFailure(error));
  }
}
