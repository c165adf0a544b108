import type { Credentials } from './credentials.js';
import type { SignedJwt } from './jwt.js';
import type { Runner } from './runner.js';

export function maskSecrets(runner: Runner, secrets: readonly string[]): void {
  for (const secret of secrets) runner.setSecret(secret);
}

/** A JWT and its signature on its own: logs can show a JWT split at its dots. */
export function maskJwt(runner: Runner, jwt: SignedJwt): void {
  maskSecrets(runner, [jwt.token, jwt.signature]);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The job summary: what was issued, for whom and until when; built from rows that never hold a secret. */
export function summaryMarkdown(credentials: Credentials): string {
  const kind = { jwt: 'a JWT', installation: 'an installation token', access: 'an access token' }[
    credentials.tokenType
  ];
  return [
    `### app-jwt-action issued ${kind}`,
    '',
    '| | |',
    '|---|---|',
    ...credentials.summary.map(([label, value]) => `| ${cell(label)} | ${cell(value)} |`),
    '',
  ].join('\n');
}

/** Masks every secret, then sets the step outputs and the post step's state, then writes the job summary. */
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
  runner.appendSummary(summaryMarkdown(credentials));
}
