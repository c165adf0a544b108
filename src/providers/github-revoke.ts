import { joinUrl } from '../api-url.js';
import { ActionError } from '../errors.js';
import { createHttpClient } from '../http.js';
import { apiMessage, headers } from './github-app-api.js';

/** DELETE /installation/token with the token itself. Returns what to log; throws what to warn about. */
export async function revokeGitHubToken(options: {
  env: Record<string, string | undefined>;
  apiUrl: string;
  token: string;
}): Promise<string> {
  const http = createHttpClient({ env: options.env });
  try {
    const response = await http.request({
      method: 'DELETE',
      url: joinUrl(options.apiUrl, '/installation/token'),
      headers: headers(`Bearer ${options.token}`),
    });
    if (response.status === 204) return 'Revoked the installation token.';
    if (response.status === 401)
      return `The installation token was already revoked or expired (GitHub answered 401 "${apiMessage(response)}"); nothing to revoke.`;
    throw new ActionError(`GitHub answered ${response.status} "${apiMessage(response)}" to DELETE /installation/token`);
  } finally {
    await http.close();
  }
}
