// RingCentral's OAuth endpoints, through the toolkit's HTTP client: the JWT-bearer login and the revoke.
import type { Clock } from '../../clock.js';
import { ActionError } from '../../errors.js';
import type { ApiResponse } from '../../http/response.js';
import type { Transport } from '../../http/transport.js';
import { joinUrl } from '../../http/url.js';
import type { Credentials } from '../provider.js';
import { basicAuthorization, RINGCENTRAL_SANDBOX, RINGCENTRAL_SERVER, type RingCentralClient } from './settings.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export class RingCentralError extends ActionError {}

interface ErrorBody {
  error?: string;
  error_description?: string;
  errorCode?: string;
  message?: string;
  errors?: { errorCode?: string; message?: string }[];
}

/** RingCentral's error code and text, from either of its two body shapes. */
function errorOf(response: ApiResponse): { code: string; text: string } {
  const body = (typeof response.body === 'object' && response.body ? response.body : {}) as ErrorBody;
  const first = body.errors?.[0];
  const code = first?.errorCode ?? body.errorCode ?? body.error ?? `HTTP ${response.status}`;
  const text =
    body.error_description ??
    first?.message ??
    body.message ??
    (typeof response.body === 'string' ? response.body.slice(0, 200) : '');
  return { code, text };
}

/** Cause and fix for an answer of the token endpoint; the raw code and text are kept at the end. */
export function describeTokenFailure(response: ApiResponse, client: RingCentralClient): string {
  const { code, text } = errorOf(response);
  const raw = `(${response.status} ${code}${text ? `: ${text}` : ''})`;
  const console = 'the RingCentral developer console';
  switch (code) {
    case 'OAU-153':
    case 'OAU-123':
      return `RingCentral refused the app's credentials ${raw}: client-id '${client.clientId}' is not an app on ${client.serverUrl}, or client-secret is not its secret. Copy both from the app's Credentials page in ${console}; a sandbox app's credentials work only with server-url: ${RINGCENTRAL_SANDBOX}.`;
    case 'OAU-251':
      return `The app '${client.clientId}' may not use the JWT flow ${raw}. In ${console}, open the app's Settings > Auth and enable "JWT auth flow".`;
    case 'OAU-250':
      return `RingCentral could not use the JWT credential ${raw}: it is not a JWT credential of ${client.serverUrl}. A credential made for the sandbox works only with server-url: ${RINGCENTRAL_SANDBOX}, and one for production only with ${RINGCENTRAL_SERVER}.`;
    case 'OAU-213':
      return `The JWT credential has been revoked ${raw}. Create a new one in ${console} (Credentials > JWT) and update the secret.`;
    case 'OAU-210':
      return `The JWT credential has expired ${raw}. Create a new one in ${console} (Credentials > JWT), with a later expiry or none, and update the secret.`;
    case 'OAU-121':
      return `The JWT credential is not allowed for app '${client.clientId}' ${raw}. In ${console}, create a credential for this app (or for any app), and update the secret.`;
    case 'CMN-301':
      return `RingCentral kept answering that the request rate is exceeded ${raw} after retrying. Another job may be logging in with the same credential; run this one again later.`;
    default:
      if (response.status === 429)
        return `RingCentral kept refusing logins for now ${raw}: past the user's limit of parallel sessions it answers 429. Revoke unused sessions (let this action's post step revoke its token), then run the job again.`;
      if (response.status >= 500)
        return `RingCentral answered ${response.status} after retrying ${raw}; its service may be having an incident. Run the job again later.`;
      return `RingCentral refused the login ${raw}.`;
  }
}

/** POST /restapi/oauth/token with the JWT-bearer grant (RFC 7523) and the app's HTTP Basic credentials. */
export async function exchangeRingCentralCredential(
  http: Transport,
  client: RingCentralClient,
  credential: string,
  clock: Clock,
): Promise<Credentials & { expiresAt: Date }> {
  const response = await http.request({
    service: 'RingCentral',
    method: 'POST',
    url: joinUrl(client.serverUrl, '/restapi/oauth/token'),
    headers: { authorization: basicAuthorization(client), accept: 'application/json' },
    form: { grant_type: JWT_BEARER, assertion: credential },
  });
  if (response.status !== 200) throw new RingCentralError(describeTokenFailure(response, client));
  const body = response.body as {
    access_token?: string;
    refresh_token?: string;
    expires_in?: number;
    owner_id?: string;
  };
  if (!body.access_token) throw new RingCentralError('RingCentral answered 200 without an access_token.');
  const expiresAt = new Date((clock.now() + (body.expires_in ?? 3600)) * 1000);
  return {
    token: body.access_token,
    tokenType: 'access',
    expiresAt,
    // The refresh token is never output, but it is masked: it is as good as a login.
    secrets: [body.access_token, ...(body.refresh_token ? [body.refresh_token] : [])],
    outputs: {},
    summary: [
      ['Provider', 'RingCentral'],
      ['Server', client.serverUrl],
      ['App (client ID)', client.clientId],
      ['Token expires', expiresAt.toISOString()],
    ],
  };
}

/** POST /restapi/oauth/revoke, which ends the session: RingCentral counts parallel sessions per user. */
export async function revokeRingCentralToken(
  http: Transport,
  client: RingCentralClient,
  token: string,
): Promise<string> {
  const response = await http.request({
    service: 'RingCentral',
    method: 'POST',
    url: joinUrl(client.serverUrl, '/restapi/oauth/revoke'),
    headers: { authorization: basicAuthorization(client), accept: 'application/json' },
    form: { token },
  });
  if (response.status === 200 || response.status === 204)
    return 'Revoked the RingCentral access token; its session has ended.';
  const { code, text } = errorOf(response);
  throw new RingCentralError(
    `RingCentral answered ${response.status} ${code}${text ? ` (${text})` : ''} to the revoke request`,
  );
}
