import type { Credentials } from './credentials.js';

/** Names of the values the main step saves for the post step, each named once. */
export const State = { provider: 'provider', token: 'token', apiUrl: 'api-url', expiresAt: 'expires-at' } as const;

/** What the post step needs to revoke a token: which service, where, and when it expires anyway. */
export function revokeState(provider: string, token: string, apiUrl: string, expiresAt: Date): Record<string, string> {
  return {
    [State.provider]: provider,
    [State.token]: token,
    [State.apiUrl]: apiUrl,
    [State.expiresAt]: expiresAt.toISOString(),
  };
}

/** The credentials with what the post step needs to revoke them, unless skip-token-revoke; the summary says which. */
export function revokedAfterJob(
  credentials: Credentials,
  provider: string,
  apiUrl: string,
  skipTokenRevoke: boolean,
): Credentials {
  return {
    ...credentials,
    summary: [...credentials.summary, ['Revoked after the job', skipTokenRevoke ? 'no (skip-token-revoke)' : 'yes']],
    revoke: skipTokenRevoke ? undefined : revokeState(provider, credentials.token, apiUrl, credentials.expiresAt),
  };
}
