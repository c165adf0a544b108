import { InputError } from '../../errors.js';
import { decodeJwt } from '../../keys/jwt/decode.js';
import { parseApiBase } from '../../settings/api-url.js';
import type { InputReader } from '../../settings/inputs.js';
import type { SettingsContext } from '../provider.js';

export const RINGCENTRAL_INPUTS = ['jwt', 'client-id', 'client-secret', 'server-url', 'skip-token-revoke'] as const;
export const RINGCENTRAL_SERVER = 'https://platform.ringcentral.com';
export const RINGCENTRAL_SANDBOX = 'https://platform.devtest.ringcentral.com';

/** The app RingCentral authenticates, and where. */
export interface RingCentralClient {
  serverUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface RingCentralSettings {
  provider: 'ringcentral';
  client: RingCentralClient;
  /** The JWT credential made in RingCentral's developer console. */
  credential: string;
  skipTokenRevoke: boolean;
}

const CONSOLE = "the app's Credentials page in the RingCentral developer console";

export function basicAuthorization({ clientId, clientSecret }: RingCentralClient): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

function readClient(read: InputReader): RingCentralClient {
  const clientId = read.text('client-id');
  if (!clientId)
    throw new InputError('client-id', `is required with provider: ringcentral: the app's client ID, from ${CONSOLE}.`);
  const clientSecret = read.text('client-secret');
  if (!clientSecret)
    throw new InputError(
      'client-secret',
      `is required with provider: ringcentral: the app's client secret, from ${CONSOLE}. Keep it in a secret.`,
    );
  const serverUrl = parseApiBase(read.text('server-url') || RINGCENTRAL_SERVER, 'server-url');
  return { clientId, clientSecret, serverUrl };
}

export async function readRingCentralSettings(
  read: InputReader,
  { clock }: SettingsContext,
): Promise<RingCentralSettings> {
  const credential = read.text('jwt');
  if (!credential)
    throw new InputError(
      'jwt',
      'is required with provider: ringcentral: the JWT credential created in the RingCentral developer console (Credentials > JWT). Keep it in a secret.',
    );
  const { claims } = decodeJwt(
    credential,
    'jwt',
    'Copy the whole JWT credential from the RingCentral developer console.',
  );
  if (typeof claims.exp === 'number' && claims.exp <= clock.now())
    throw new InputError(
      'jwt',
      `is a JWT credential that expired at ${new Date(claims.exp * 1000).toISOString()}. Create a new one in the RingCentral developer console and update the secret.`,
    );
  return {
    provider: 'ringcentral',
    client: readClient(read),
    credential,
    skipTokenRevoke: read.boolean('skip-token-revoke'),
  };
}
