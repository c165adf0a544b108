export const RINGCENTRAL_SERVER = 'https://platform.ringcentral.com';
export const RINGCENTRAL_SANDBOX = 'https://platform.devtest.ringcentral.com';

/** The app RingCentral authenticates, and where. */
export interface RingCentralClient {
  serverUrl: string;
  clientId: string;
  clientSecret: string;
}

export function basicAuthorization({ clientId, clientSecret }: RingCentralClient): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}
