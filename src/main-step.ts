import { describeFailure } from './errors.js';
import { issueCredentials, type IssueDependencies } from './issue-credentials.js';
import { readSettings, type Settings } from './inputs.js';
import { maskSecrets, publishCredentials } from './outputs.js';
import { basicAuthorization } from './providers/ringcentral-client.js';

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
export async function runMain(deps: IssueDependencies): Promise<void> {
  const { runner } = deps;
  try {
    const settings = await readSettings((name) => runner.getInput(name), deps.env);
    maskSecrets(runner, inputSecrets(settings));
    publishCredentials(runner, await issueCredentials(settings, deps));
  } catch (error) {
    runner.setFailed(describeFailure(error));
  }
}
