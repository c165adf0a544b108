import { parseApiBase } from './api-url.js';
import { InputError } from './errors.js';
import { readBoolean, type GetInput } from './input-readers.js';
import { decodeJwt } from './jwt-claims.js';
import { RINGCENTRAL_SERVER, type RingCentralClient } from './providers/ringcentral-client.js';

export interface RingCentralSettings {
  provider: 'ringcentral';
  client: RingCentralClient;
  /** The JWT credential made in RingCentral's developer console. */
  credential: string;
  skipTokenRevoke: boolean;
}

const CONSOLE = "the app's Credentials page in the RingCentral developer console";

/** The settings RingCentral needs; the post step reads the same inputs to revoke. */
export function readRingCentralClient(getInput: GetInput): RingCentralClient {
  const clientId = getInput('client-id');
  if (!clientId)
    throw new InputError('client-id', `is required with provider: ringcentral: the app's client ID, from ${CONSOLE}.`);
  const clientSecret = getInput('client-secret');
  if (!clientSecret)
    throw new InputError(
      'client-secret',
      `is required with provider: ringcentral: the app's client secret, from ${CONSOLE}. Keep it in a secret.`,
    );
  const serverUrl = parseApiBase(getInput('server-url') || RINGCENTRAL_SERVER, 'server-url');
  return { clientId, clientSecret, serverUrl };
}

export function readRingCentralSettings(
  getInput: GetInput,
  nowSeconds = Math.floor(Date.now() / 1000),
): RingCentralSettings {
  const credential = getInput('jwt');
  if (!credential)
    throw new InputError(
      'jwt',
      'is required with provider: ringcentral: the JWT credential created in the RingCentral developer console (Credentials > JWT). Keep it in a secret.',
    );
  const decoded = decodeJwt(credential);
  if ('problem' in decoded)
    throw new InputError(
      'jwt',
      `is not a JWT: ${decoded.problem} Copy the whole JWT credential from the RingCentral developer console.`,
    );
  const { claims } = decoded;
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds)
    throw new InputError(
      'jwt',
      `is a JWT credential that expired at ${new Date(claims.exp * 1000).toISOString()}. Create a new one in the RingCentral developer console and update the secret.`,
    );
  return {
    provider: 'ringcentral',
    client: readRingCentralClient(getInput),
    credential,
    skipTokenRevoke: readBoolean(getInput, 'skip-token-revoke'),
  };
}
