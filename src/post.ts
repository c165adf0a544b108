// The post step: revoke what the main step issued. A failure is a warning; the job never fails here.
import * as core from '@actions/core';
import { actionContext } from './action/context.js';
import { createMask } from './action/mask.js';
import { oneLine } from './action/one-line.js';
import { loadRevokeRecords, State } from './action/state.js';
import { createClock, type Clock } from './clock.js';
import { reasonOf } from './errors.js';
import { providerNamed } from './providers/index.js';
import type { ProviderContext, RevokeRecord } from './providers/provider.js';
import { createInputReader } from './settings/inputs.js';

/**
 * skip-token-revoke, read here too: the state could come from a run without it (or from another step), and the
 * input is what the user set for this job. A value that is not a boolean is warned about, and the token revoked.
 */
function skipTokenRevoke(): boolean {
  try {
    return createInputReader((name) => core.getInput(name)).boolean('skip-token-revoke');
  } catch (error) {
    core.warning(oneLine(`${reasonOf(error)}. The post step revokes the token all the same.`));
    return false;
  }
}

async function revoke(record: RevokeRecord, context: ProviderContext): Promise<void> {
  context.mask(record.token);
  const expiresAt = Date.parse(record.expiresAt);
  // An unreadable expiry (state written by hand, or by another version) is not a reason to skip the revoke.
  const expiry = Number.isNaN(expiresAt) ? 'within the hour' : `at ${new Date(expiresAt).toISOString()}`;
  if (expiresAt <= context.clock.now() * 1000) {
    core.info(oneLine(`The token expired ${expiry}; nothing to revoke.`));
    return;
  }
  const provider = providerNamed(record.provider);
  try {
    if (!provider?.revoke) throw new Error('the saved state names no provider this action revokes for');
    core.info(oneLine(await provider.revoke(record, context)));
  } catch (error) {
    core.warning(oneLine(`Could not revoke the token: ${reasonOf(error)}. It expires by itself ${expiry}.`));
  }
}

export async function run(env: Record<string, string | undefined> = process.env, clock: Clock = createClock()) {
  try {
    // The git config first, token records or not: configure-git's undo never waits on a revoke.
    if (core.getState(State.git)) await (await import('./action/git.js')).restoreGit();
    const { records, problem } = loadRevokeRecords();
    if (problem) {
      core.warning(oneLine(`Nothing was revoked: ${problem}. Any token the main step issued expires by itself.`));
      return;
    }
    if (!records.length) {
      core.debug('Nothing to revoke: this run issued no token (a JWT expires by itself), or skip-token-revoke is set.');
      return;
    }
    if (skipTokenRevoke()) {
      for (const record of records)
        core.info(
          oneLine(`skip-token-revoke is set: the token is not revoked; it expires by itself at ${record.expiresAt}.`),
        );
      return;
    }
    const context = actionContext(env, clock, createMask());
    for (const record of records) await revoke(record, context);
  } catch (error) {
    // Even an unforeseen error is only a warning.
    core.warning(oneLine(`The post step could not finish: ${reasonOf(error)}.`));
  }
}
