import { joinUrl } from '../api-url.js';
import { ActionError } from '../errors.js';
import type { HttpClient } from '../http.js';
import { apiMessage, headers } from './github-app-api.js';

/** DELETE /installation/token with the token itself. Returns what to log; throws what to warn about. */
export async function revokeGitHubToken(http: HttpClient, apiUrl: string, token: string): Promise<string> {
  const response = await http.request({
    method: 'DELETE',
    url: joinUrl(apiUrl, '/installation/token'),
    headers: headers(`Bearer ${token}`),
  });
  if (response.status === 204) return 'Revoked the installation token.';
  if (response.status === 401)
    return `The installation token was already revoked or expired (GitHub answered 401 "${apiMessage(response)}"); nothing to revoke.`;
  throw new ActionError(`GitHub answered ${response.status} "${apiMessage(response)}" to DELETE /installation/token`);
}
