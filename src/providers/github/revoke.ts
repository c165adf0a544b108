import { ActionError } from '../../errors.js';
import { apiMessage, type GitHubApi } from './api.js';

/** DELETE /installation/token with the token itself. Returns what to log; throws what to warn about. */
export async function revokeInstallationToken(api: GitHubApi): Promise<string> {
  const response = await api.request('DELETE /installation/token');
  if (response.status === 204) return 'Revoked the installation token.';
  if (response.status === 401)
    return `The installation token was already revoked or expired (GitHub answered 401 "${apiMessage(response)}"); nothing to revoke.`;
  throw new ActionError(`GitHub answered ${response.status} "${apiMessage(response)}" to DELETE /installation/token`);
}
