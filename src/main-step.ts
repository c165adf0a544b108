import type { Clock } from './clock.js';
import { describeFailure } from './errors.js';
import { readSettings } from './inputs.js';
import { maskSecrets, publishCredentials } from './outputs.js';
import { issueGitHubCredentials } from './providers/github-credentials.js';
import type { Runner } from './runner.js';

export interface MainDependencies {
  runner: Runner;
  clock: Clock;
  env: Record<string, string | undefined>;
}

/** The main step: read the inputs, make the credentials, publish them. Never throws. */
export async function runMain(deps: MainDependencies): Promise<void> {
  const { runner } = deps;
  try {
    const settings = await readSettings((name) => runner.getInput(name), deps.env);
    maskSecrets(runner, settings.privateKey?.secrets ?? []);
    if (settings.presignedJwt) maskSecrets(runner, [settings.presignedJwt.token, settings.presignedJwt.signature]);
    publishCredentials(runner, await issueGitHubCredentials(settings, deps));
  } catch (error) {
    runner.setFailed(describeFailure(error));
  }
}
