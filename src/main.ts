// The main step: read the inputs, make the credentials, publish them. Never throws: a failure fails the step.
import * as core from '@actions/core';
import { actionContext } from './action/context.js';
import { maskSecretShapedInputs, peerPermissionError } from './action/input-checks.js';
import { createMask } from './action/mask.js';
import { oneLine } from './action/one-line.js';
import { publishCredentials } from './action/publish.js';
import { createClock, type Clock } from './clock.js';
import { ActionError, describeFailure, reasonOf } from './errors.js';
import { checkForeignInputs, chooseProvider } from './providers/index.js';
import type { Credentials, Provider, ProviderContext } from './providers/provider.js';
import { createInputReader } from './settings/inputs.js';

/**
 * A step that fails after a token was issued (the outputs or the state could not be written) revokes it before
 * it ends: nothing of it reached a later step, and the post step may not know of it.
 */
async function revokeIssued(provider: Provider, credentials: Credentials, context: ProviderContext): Promise<void> {
  const records = credentials.issued ?? credentials.revoke ?? [];
  for (const record of records) {
    context.mask(record.token);
    try {
      if (!provider.revoke) throw new Error(`${provider.name} has no way to revoke it`);
      core.info(oneLine(`The step failed after the token was issued: ${await provider.revoke(record, context)}`));
    } catch (error) {
      core.warning(
        oneLine(
          `The step failed after the token was issued, and revoking it failed too: ${reasonOf(error)}. It expires by itself at ${record.expiresAt}.`,
        ),
      );
    }
  }
}

export async function run(env: Record<string, string | undefined> = process.env, clock: Clock = createClock()) {
  const mask = createMask();
  try {
    // Before anything is read or written: a key or a token in any input (the wrong one, too) is masked.
    maskSecretShapedInputs(mask);
    const peer = peerPermissionError();
    if (peer) throw new ActionError(peer);
    const read = createInputReader((name) => core.getInput(name));
    const provider = chooseProvider(read);
    checkForeignInputs(read, provider);
    const warn = (message: string) => core.warning(oneLine(message));
    const settings = await provider.readSettings(read, { env, clock, warn });
    for (const secret of provider.secrets(settings)) mask(secret);
    const context = actionContext(env, clock, mask);
    const credentials = await provider.issue(settings, context);
    try {
      await publishCredentials(credentials, mask);
      if (credentials.git) await (await import('./action/git.js')).configureGit(credentials.git);
    } catch (error) {
      // Whatever the revoke meets (a stdout that refuses writes too), the step fails with the first error.
      await revokeIssued(provider, credentials, context).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    core.setFailed(oneLine(describeFailure(error)));
  }
}
