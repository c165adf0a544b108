import type { Credentials } from '../credentials.js';
import type { RingCentralSettings } from '../inputs.js';
import type { Runner } from '../runner.js';
import { revokedAfterJob } from '../state.js';
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
  return revokedAfterJob(credentials, 'ringcentral', settings.client.serverUrl, settings.skipTokenRevoke);
}
