import type { Runner } from './runner.js';
import { State } from './state.js';
import { withHttpClient } from './with-http-client.js';

export interface PostDependencies {
  runner: Runner;
  env: Record<string, string | undefined>;
  now?: () => number;
}

async function revoke(runner: Runner, env: PostDependencies['env'], token: string): Promise<string> {
  const apiUrl = runner.getState(State.apiUrl);
  if (runner.getState(State.provider) === 'ringcentral') {
    const [{ readRingCentralClient }, { revokeRingCentralToken }] = await Promise.all([
      import('./inputs-ringcentral.js'),
      import('./providers/ringcentral.js'),
    ]);
    // The post step gets the same inputs as the main step; the client secret is read from there, not state.
    const client = { ...readRingCentralClient((name) => runner.getInput(name)), serverUrl: apiUrl };
    runner.setSecret(client.clientSecret);
    return withHttpClient(runner, env, 'RingCentral', (http) => revokeRingCentralToken(http, client, token));
  }
  const { revokeGitHubToken } = await import('./providers/github-revoke.js');
  return withHttpClient(runner, env, 'GitHub', (http) => revokeGitHubToken(http, apiUrl, token));
}

/** The post step: revoke what the main step issued. A failure is a warning; the job never fails here. */
export async function runPost({ runner, env, now = Date.now }: PostDependencies): Promise<void> {
  const token = runner.getState(State.token);
  if (!token) {
    runner.debug('Nothing to revoke: this run issued no token (a JWT expires by itself), or skip-token-revoke is set.');
    return;
  }
  runner.setSecret(token);
  const expiresAt = Date.parse(runner.getState(State.expiresAt));
  // An unreadable expiry (state written by hand, or by another version) is not a reason to skip the revoke.
  const expiry = Number.isNaN(expiresAt) ? 'within the hour' : `at ${new Date(expiresAt).toISOString()}`;
  if (expiresAt <= now()) {
    runner.info(`The token expired ${expiry}; nothing to revoke.`);
    return;
  }
  try {
    runner.info(await revoke(runner, env, token));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    runner.warning(`Could not revoke the token: ${reason}. It expires by itself ${expiry}.`);
  }
}
