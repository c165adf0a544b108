import type { Credentials } from '../credentials.js';
import type { RingCentralSettings } from '../inputs.js';
import type { Runner } from '../runner.js';
import { revokeState } from '../state.js';
import { withHttpClient } from '../with-http-client.js';
import { exchangeRingCentralCredential } from './ringcentral.js';

/** The access token for RingCentral's JWT credential, with what the post step needs to end its session. */
export async function issueRingCentralToken(
  settings: RingCentralSettings,
  deps: { runner: Runner; env: Record<string, string | undefined> },
): Promise<Credentials> {
  const credentials = await withHttpClient(deps.runner, deps.env, 'RingCentral', (http) =>
    exchangeRingCentralCredential(http, settings.client, settings.credential),
  );
  deps.runner.info(
    `Got a RingCentral access token from ${settings.client.serverUrl}; it expires at ${credentials.expiresAt.toISOString()}.`,
  );
  return {
    ...credentials,
    summary: [
      ...credentials.summary,
      ['Revoked after the job', settings.skipTokenRevoke ? 'no (skip-token-revoke)' : 'yes'],
    ],
    revoke: settings.skipTokenRevoke
      ? undefined
      : revokeState('ringcentral', credentials.token, settings.client.serverUrl, credentials.expiresAt),
  };
}
