// RingCentral's OAuth endpoints, through the toolkit's HTTP client: the JWT-bearer login and the revoke.
import type { Clock } from '../../clock.js';
import { ActionError } from '../../errors.js';
import { serverText, type ApiResponse } from '../../http/response.js';
import type { Transport } from '../../http/transport.js';
import { joinUrl } from '../../http/url.js';
import { showValue } from '../../settings/value-shape.js';
import type { Credentials } from '../provider.js';
import { basicAuthorization, RINGCENTRAL_SANDBOX, RINGCENTRAL_SERVER, type RingCentralClient } from './settings.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 6749 lets a server leave expires_in out; RingCentral's access tokens live an hour. */
const DEFAULT_LIFETIME_SECONDS = 3600;
/** Longer than any access token RingCentral issues (its refresh tokens live a week): a wrong unit, or a wrong server. */
const MAX_LIFETIME_SECONDS = 7 * 86_400;

export class RingCentralError extends ActionError {}

/** Text from the server as a message may quote it: 200 characters, then the cut. */
const quoted = (value: unknown) => serverText(value, 201);

/** A code as RingCentral writes them (OAU-146, CMN-301) or as OAuth does (invalid_client); anything else is not shown. */
function serverCode(value: unknown): string {
  return typeof value === 'string' && /^(?:[A-Z]{3}-\d{3}|[a-z][a-z_]{2,40})$/.test(value) ? value : '';
}

interface ErrorAnswer {
  /** RingCentral's own code, from either body shape: OAU-146, CMN-301. */
  code: string;
  /** The OAuth `error` field (RFC 6749 §5.2): invalid_client, invalid_grant, unauthorized_client. */
  oauth: string;
  text: string;
}

/** RingCentral's error code and text, from either of its two body shapes, and the standard OAuth field. */
function errorOf(response: ApiResponse): ErrorAnswer {
  const body = (typeof response.body === 'object' && response.body ? response.body : {}) as Record<string, unknown>;
  const first = (Array.isArray(body.errors) ? body.errors[0] : undefined) as Record<string, unknown> | undefined;
  const code = serverCode(first?.errorCode) || serverCode(body.errorCode);
  const oauth = serverCode(body.error);
  let text = quoted(body.error_description) || quoted(first?.message) || quoted(body.message) || quoted(response.body);
  // A text that only repeats the status ("HTTP 400", "400 Bad Request") says nothing the status does not.
  text = text.replace(new RegExp(`^(?:HTTP(?:/[\\d.]+)?\\s*)?${response.status}\\b[\\s:.-]*`, 'i'), '');
  return { code, oauth, text };
}

/** The answer as the message quotes it at its end: status, code and text, each once. */
function rawAnswer(response: ApiResponse, { code, oauth, text }: ErrorAnswer): string {
  const shownCode = code || oauth;
  return `(${[`${response.status}${shownCode ? ` ${shownCode}` : ''}`, text].filter(Boolean).join(': ')})`;
}

const CONSOLE = 'the RingCentral developer console';

/**
 * Cause and fix for each auth error code of RingCentral's error-code table (developers.ringcentral.com/guide/
 * basics/errors) that a JWT login can meet, and the codes users report for it (OAU-153, 210, 213, 250, 251).
 */
const TOKEN_ERRORS: Record<string, (raw: string, client: RingCentralClient) => string> = {};
const clientCredentials = (raw: string, client: RingCentralClient) =>
  `RingCentral refused the app's credentials ${raw}: client-id ${showValue(client.clientId)} is not an app on ${client.serverUrl}, or client-secret is not its secret. Copy both from the app's Credentials page in ${CONSOLE}; a sandbox app's credentials work only with server-url: ${RINGCENTRAL_SANDBOX}.`;
const jwtFlow = (raw: string, client: RingCentralClient) =>
  `The app ${showValue(client.clientId)} may not use the JWT flow ${raw}. In ${CONSOLE}, open the app's Settings > Auth and enable "JWT auth flow".`;
const rateLimit = (raw: string) =>
  `RingCentral kept answering that the request rate is exceeded ${raw} after retrying. Another job may be logging in with the same credential; run this one again later.`;
for (const code of ['OAU-153', 'OAU-123', 'OAU-146', 'OAU-134', 'OAU-151', 'OAU-120'])
  TOKEN_ERRORS[code] = clientCredentials;
for (const code of ['OAU-251', 'OAU-112', 'OAU-125']) TOKEN_ERRORS[code] = jwtFlow;
for (const code of ['CMN-301', 'CMN-302', 'CMN-303', 'CMN-304', 'CMN-310']) TOKEN_ERRORS[code] = rateLimit;
Object.assign(TOKEN_ERRORS, {
  'OAU-250': (raw, client) =>
    `RingCentral could not use the JWT credential ${raw}: it is not a JWT credential of ${client.serverUrl}. A credential made for the sandbox works only with server-url: ${RINGCENTRAL_SANDBOX}, and one for production only with ${RINGCENTRAL_SERVER}.`,
  'OAU-213': (raw) =>
    `The JWT credential has been revoked ${raw}. Create a new one in ${CONSOLE} (Credentials > JWT) and update the secret.`,
  'OAU-210': (raw) =>
    `The JWT credential has expired ${raw}. Create a new one in ${CONSOLE} (Credentials > JWT), with a later expiry or none, and update the secret.`,
  'OAU-121': (raw, client) =>
    `The JWT credential is not allowed for app ${showValue(client.clientId)} ${raw}. In ${CONSOLE}, create a credential for this app (or for any app), and update the secret.`,
  'OAU-140': (raw) =>
    `RingCentral did not accept the JWT credential as a user's login ${raw}: it was changed when it was copied, or it is not a JWT credential from ${CONSOLE}. Copy it again (Credentials > JWT) into the secret.`,
  'OAU-149': (raw) =>
    `RingCentral could not read the JWT credential ${raw}. Copy the whole credential again from ${CONSOLE} (Credentials > JWT) into the secret.`,
  'OAU-127': (raw, client) =>
    `The app ${showValue(client.clientId)} is not released on ${client.serverUrl} ${raw}: an app that has not graduated to production works only with server-url: ${RINGCENTRAL_SANDBOX}. Use the sandbox, or apply for production in ${CONSOLE}.`,
  'OAU-116': (raw, client) =>
    `RingCentral does not let the app ${showValue(client.clientId)} authenticate with a client secret ${raw}. In ${CONSOLE}, check the app's Settings > Auth: the JWT auth flow needs a server-side app with a client secret.`,
  'OAU-105': (raw) =>
    `The user of the JWT credential may not log in ${raw}: RingCentral allows API logins only for some kinds of extension (a department or a shared line cannot). Create the credential as a user who can.`,
  'OAU-119': (raw) =>
    `The user of the JWT credential may not log in with an international virtual number ${raw}. Create the credential as a user with a regular number.`,
  'OAU-136': (raw) =>
    `The user the JWT credential logs in as no longer exists ${raw}. Create a new credential in ${CONSOLE} as a current user, and update the secret.`,
  'OAU-141': (raw) =>
    `The user of the JWT credential may not log in in their current state ${raw} (disabled, or not yet activated). Ask an administrator of the RingCentral account to enable the user, or create the credential as another user.`,
  'OAU-142': (raw) =>
    `The RingCentral account may not log in in its current state ${raw} (not activated, suspended or closed). An administrator of the account can tell why; a sandbox account expires when unused.`,
  'OAU-147': (raw) =>
    `The RingCentral account is locked out after too many failed logins ${raw}. Wait for the lock to end (or ask an administrator to unlock it), then run the job again.`,
  'OAU-148': (raw) =>
    `The RingCentral account is locked out after too many failed logins ${raw}; it logs in through single sign-on. Ask an administrator to unlock it, then run the job again.`,
  'CMN-101': (raw) =>
    /\[assertion\]/.test(raw)
      ? `RingCentral did not accept the JWT credential ${raw}. Copy the whole credential again from ${CONSOLE} (Credentials > JWT) into the secret.`
      : `RingCentral found the login request malformed ${raw}. Please report this with the step's log.`,
  'OAU-111': (raw) =>
    `RingCentral found a parameter twice in the login request ${raw}. Please report this with the step's log: the action sends each once.`,
} satisfies Record<string, (raw: string, client: RingCentralClient) => string>);

/** The standard OAuth `error` field, when RingCentral's own code is absent or one the table does not have. */
const OAUTH_ERRORS: Record<string, (raw: string, client: RingCentralClient) => string> = {
  invalid_client: clientCredentials,
  invalid_grant: (raw) =>
    `RingCentral refused the JWT credential ${raw}: it has expired or been revoked, it is for another app, or it was made on another server (sandbox and production credentials do not mix). Create a new one in ${CONSOLE} (Credentials > JWT), and update the jwt secret.`,
  unauthorized_client: jwtFlow,
  unsupported_grant_type: (raw, client) => TOKEN_ERRORS['OAU-250'](raw, client),
  access_denied: (raw) =>
    `RingCentral denied the login ${raw}: the user of the JWT credential, or the app, may not log in this way. Check the app's Settings > Auth in ${CONSOLE}.`,
  invalid_request: (raw) =>
    `RingCentral found the login request malformed ${raw}. Please report this with the step's log.`,
};

/** Cause and fix for an answer of the token endpoint; the raw status, code and text are kept at the end. */
export function describeTokenFailure(response: ApiResponse, client: RingCentralClient): string {
  const answer = errorOf(response);
  const raw = rawAnswer(response, answer);
  const known = TOKEN_ERRORS[answer.code] ?? OAUTH_ERRORS[answer.oauth];
  if (known) return known(raw, client);
  if (response.status === 429)
    return `RingCentral kept refusing logins for now ${raw}: past the user's limit of parallel sessions it answers 429. Revoke unused sessions (let this action's post step revoke its token), then run the job again.`;
  if (response.status >= 500)
    return `RingCentral kept answering with a server error after retrying ${raw}; its service may be having an incident. Run the job again later.`;
  if (response.status === 401) return clientCredentials(raw, client);
  return `RingCentral refused the login ${raw}.`;
}

/** The token answer's fields the action uses, each checked; a problem names the field. */
function readTokenAnswer(body: unknown): { token?: string; refresh?: string; lifetime?: number; problem?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return {
      problem: `a body that is not a JSON object (${typeof body === 'string' ? (body ? `${body.length} characters of text` : 'an empty body') : 'JSON, but not an object'})`,
    };
  const answer = body as Record<string, unknown>;
  const { access_token: token, refresh_token: refresh, expires_in: expiresIn } = answer;
  if (token === undefined || token === null || token === '') return { problem: 'no access_token' };
  if (typeof token !== 'string') return { problem: `an access_token that is ${typeof token}, not a string` };
  const refreshToken = typeof refresh === 'string' && refresh ? refresh : undefined;
  // A token goes into an Authorization header and into masks, which are one line each.
  if (!/^[\x21-\x7e]+$/.test(token))
    return {
      token,
      refresh: refreshToken,
      problem: 'an access_token with spaces, line breaks or characters outside printable ASCII',
    };
  if (expiresIn === undefined || expiresIn === null) return { token, refresh: refreshToken };
  const lifetime =
    typeof expiresIn === 'number'
      ? expiresIn
      : typeof expiresIn === 'string' && /^\d+$/.test(expiresIn)
        ? +expiresIn
        : NaN;
  if (!Number.isFinite(lifetime))
    return {
      token,
      refresh: refreshToken,
      problem: `expires_in ${typeof expiresIn === 'string' ? showValue(expiresIn) : `as ${Array.isArray(expiresIn) ? 'a list' : typeof expiresIn}`}, which is not a number of seconds`,
    };
  if (lifetime <= 0)
    return {
      token,
      refresh: refreshToken,
      problem: `expires_in ${lifetime}: the token was expired when it was issued`,
    };
  if (lifetime > MAX_LIFETIME_SECONDS)
    return {
      token,
      refresh: refreshToken,
      problem: `expires_in ${lifetime} seconds, more than the week any RingCentral access token lives`,
    };
  return { token, refresh: refreshToken, lifetime: Math.floor(lifetime) };
}

/**
 * POST /restapi/oauth/token with the JWT-bearer grant (RFC 7523) and the app's HTTP Basic credentials. A 200
 * whose answer cannot be used fails, naming the field; a token it did carry is masked at once and revoked
 * before the failure is thrown, so that no session is left open.
 */
export async function exchangeRingCentralCredential(
  http: Transport,
  client: RingCentralClient,
  credential: string,
  clock: Clock,
  mask: (secret: string) => void = () => undefined,
): Promise<Credentials & { expiresAt: Date }> {
  const response = await http.request({
    service: 'RingCentral',
    method: 'POST',
    url: joinUrl(client.serverUrl, '/restapi/oauth/token'),
    headers: { authorization: basicAuthorization(client), accept: 'application/json' },
    form: { grant_type: JWT_BEARER, assertion: credential },
  });
  if (response.status !== 200) throw new RingCentralError(describeTokenFailure(response, client));
  const { token, refresh, lifetime, problem } = readTokenAnswer(response.body);
  for (const secret of [token, refresh]) if (secret) mask(secret);
  if (problem) {
    let fate = '';
    if (token) {
      try {
        await revokeRingCentralToken(http, client, token);
        fate = ' The token it carried has been revoked.';
      } catch (error) {
        fate = ` Revoking the token it carried failed too (${(error as Error).message}); it expires by itself.`;
      }
    }
    throw new RingCentralError(
      `RingCentral (${client.serverUrl}) answered the login with 200 and ${problem}: the action cannot use that answer.${fate} If server-url is a proxy or another service, point it at RingCentral's API server.`,
    );
  }
  const expiresAt = new Date((clock.now() + (lifetime ?? DEFAULT_LIFETIME_SECONDS)) * 1000);
  return {
    token: token!,
    tokenType: 'access',
    expiresAt,
    // The refresh token is never output, but it is masked: it is as good as a login.
    secrets: [token!, ...(refresh ? [refresh] : [])],
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
  const { code, oauth, text } = errorOf(response);
  const shownCode = code || oauth;
  throw new RingCentralError(
    `RingCentral answered ${response.status}${shownCode ? ` ${shownCode}` : ''}${text ? ` (${text})` : ''} to the revoke request`,
  );
}
