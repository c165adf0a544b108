// RingCentral: the JWT credential from its developer console, exchanged for an access token (RFC 7523) that
// the post step revokes, ending the session (RingCentral counts parallel sessions per user).
import { revokedAfterJob, type Provider } from '../provider.js';
import {
  basicAuthorization,
  readRingCentralSettings,
  RINGCENTRAL_INPUTS,
  type RingCentralSettings,
} from './settings.js';

export const ringcentral: Provider<RingCentralSettings> = {
  name: 'ringcentral',
  inputs: RINGCENTRAL_INPUTS,
  readSettings: readRingCentralSettings,
  secrets: ({ credential, client }) => [
    credential,
    credential.slice(credential.lastIndexOf('.') + 1),
    client.clientSecret,
    basicAuthorization(client).slice('Basic '.length),
  ],
  async issue(settings, context) {
    const { exchangeRingCentralCredential } = await import('./token.js');
    const { client } = settings;
    const credentials = await exchangeRingCentralCredential(
      await context.transport(),
      client,
      settings.credential,
      context.clock,
      context.mask,
    );
    context.log.info(
      `Got a RingCentral access token from ${client.serverUrl}; it expires at ${credentials.expiresAt.toISOString()}.`,
    );
    const record = {
      provider: 'ringcentral',
      token: credentials.token,
      apiUrl: client.serverUrl,
      expiresAt: credentials.expiresAt.toISOString(),
      // The revoke authenticates as the app; the post step gets these from the state, never from a log.
      extra: { clientId: client.clientId, clientSecret: client.clientSecret },
    };
    return revokedAfterJob(credentials, record, settings.skipTokenRevoke);
  },
  async revoke(record, context) {
    const clientId = record.extra?.clientId;
    const clientSecret = record.extra?.clientSecret;
    // Without them the request could only be refused, after sending the token to the server: say so instead.
    if (typeof clientId !== 'string' || !clientId || typeof clientSecret !== 'string' || !clientSecret)
      throw new Error('the saved state holds no client ID and secret to revoke it with');
    const client = { clientId, clientSecret, serverUrl: record.apiUrl };
    for (const secret of [clientSecret, basicAuthorization(client).slice('Basic '.length)]) context.mask(secret);
    const { revokeRingCentralToken } = await import('./token.js');
    return revokeRingCentralToken(await context.transport(), client, record.token);
  },
};
