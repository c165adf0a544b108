import type { Runner } from './runner.js';
import { State } from './state.js';

export interface PostDependencies {
  runner: Runner;
  env: Record<string, string | undefined>;
  now?: () => number;
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
  if (expiresAt <= now()) {
    runner.info(`The token expired at ${new Date(expiresAt).toISOString()}; nothing to revoke.`);
    return;
  }
  try {
    const { revokeGitHubToken } = await import('./providers/github-revoke.js');
    runner.info(await revokeGitHubToken({ env, apiUrl: runner.getState(State.apiUrl), token }));
  } catch (error) {
    runner.warning(
      `Could not revoke the token: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}. It expires by itself at ${new Date(expiresAt).toISOString()}.`,
    );
  }
}
