import type { Credentials } from './credentials.js';
import type { Runner } from './runner.js';

export function maskSecrets(runner: Runner, secrets: readonly string[]): void {
  for (const secret of secrets) runner.setSecret(secret);
}

/** Masks every secret, then sets the step outputs and the post step's state. */
export function publishCredentials(runner: Runner, credentials: Credentials): void {
  maskSecrets(runner, credentials.secrets);
  runner.setOutput('token', credentials.token);
  runner.setOutput('token-type', credentials.tokenType);
  runner.setOutput('expires-at', credentials.expiresAt.toISOString());
  if (credentials.jwt) {
    runner.setOutput('jwt', credentials.jwt.token);
    runner.setOutput('jwt-expires-at', credentials.jwt.expiresAt.toISOString());
  }
  for (const [name, value] of Object.entries(credentials.outputs)) runner.setOutput(name, value);
  for (const [name, value] of Object.entries(credentials.revoke ?? {})) runner.saveState(name, value);
}
