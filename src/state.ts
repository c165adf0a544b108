/** Names of the values the main step saves for the post step, each named once. */
export const State = { provider: 'provider', token: 'token', apiUrl: 'api-url', expiresAt: 'expires-at' } as const;
