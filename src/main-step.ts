import type { Clock } from './clock.js';
import { describeFailure } from './errors.js';
import { issueCredentials } from './issue-credentials.js';
import { readSettings, type Settings } from './inputs.js';
import { maskSecrets, publishCredentials } from './outputs.js';
import { basicAuthorization } from './providers/ringcentral-client.js';
import type { Runner } from './runner.js';

export interface MainDependencies {
  runner: Runner;
  clock: Clock;
  env: Record<string, string | undefined>;
}

/** The secrets among the inputs, in every form they could take in a log, masked before anything else. */
function inputSecrets(settings: Settings): string[] {
  switch (settings.provider) {
    case 'github':
      return settings.presignedJwt
        ? [settings.presignedJwt.token, settings.presignedJwt.signature]
        : (settings.privateKey?.secrets ?? []);
    case 'vonage':
      return settings.privateKey.secrets;
    case 'ringcentral':
      return [
        settings.credential,
        settings.credential.slice(settings.credential.lastIndexOf('.') + 1),
        settings.client.clientSecret,
        basicAuthorization(settings.client).slice('Basic '.length),
      ];
  }
}

/** The main step: read the inputs, make the credentials, publish them. Never throws. */
export async function runMain(deps: MainDependencies): Promise<void> {
  const { runner } = deps;
  try {
    const settings = await readSettings((name) => runner.getInput(name), deps.env);
    maskSecrets(runner, inputSecrets(settings));
    publishCredentials(runner, await issueCredentials(settings, deps));
  } catch (error) {
    runner.setFailed(describeFailure(error));
  }
}
