// The main step: read the inputs, make the credentials, publish them. Never throws: a failure fails the step.
import * as core from '@actions/core';
import { actionContext } from './action/context.js';
import { publishCredentials } from './action/publish.js';
import { createClock, type Clock } from './clock.js';
import { describeFailure } from './errors.js';
import { checkForeignInputs, chooseProvider } from './providers/index.js';
import { createInputReader } from './settings/inputs.js';

export async function run(env: Record<string, string | undefined> = process.env, clock: Clock = createClock()) {
  try {
    const read = createInputReader((name) => core.getInput(name));
    const provider = chooseProvider(read);
    checkForeignInputs(read, provider);
    const settings = await provider.readSettings(read, { env, clock });
    for (const secret of provider.secrets(settings)) core.setSecret(secret);
    await publishCredentials(await provider.issue(settings, actionContext(env, clock)));
  } catch (error) {
    core.setFailed(describeFailure(error));
  }
}
