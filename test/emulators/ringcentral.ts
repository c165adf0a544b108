/**
 * A local stand-in for RingCentral's OAuth server and one API endpoint, limited to what the JWT auth flow needs:
 *
 * - `POST /restapi/oauth/token` with the JWT-bearer grant (RFC 7523): `grant_type=urn:ietf:params:oauth:
 *   grant-type:jwt-bearer&assertion=<JWT credential>` and HTTP Basic `client_id:client_secret`. The refresh
 *   grant works too, as it does for JWT apps.
 * - `POST /restapi/oauth/revoke` with `token=<access or refresh token>`: 200 with an empty body, always.
 * - `GET /restapi/v1.0/account/~/extension/~` with `Authorization: Bearer <access token>`: the user's extension.
 *
 * JWT credentials are made in RingCentral's developer console, never by the client; here the emulator is the
 * console: issueCredential() mints one (ES256, signed with a key only this emulator holds), and
 * revokeCredential() revokes it. A credential from another emulator instance is "from another environment".
 *
 * Sessions: RingCentral keeps a limited number of parallel sessions per user and app ("usually five", its
 * "Using access tokens" guide) and invalidates tokens when the limit is reached. By default the oldest live
 * session is evicted, so its access token then gets 401 Token not found, which is what users report when
 * several workers share one JWT. sessionLimitMode 'reject' models the other documented reaction (its "API
 * Error Codes" guide: past the quota of active sessions "the server starts to return HTTP 429 on authorization
 * requests"). Revoking an access token ends its session and frees the slot.
 *
 * Bodies and status codes are RingCentral's where they could be found; where each comes from is noted in
 * RC_ERRORS. It is a real HTTP server on 127.0.0.1 so the action's fetch/proxy code is exercised for real.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import { generateKeyPairSync, randomBytes, randomInt, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type ScriptedFault,
  type ScriptedResponse,
  type ServerListenOptions,
  type ServerTimingOptions,
} from './http-emulator.ts';
import { parseJsonSegment } from './jwt-parts.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

export interface RingCentralClient {
  clientId: string;
  clientSecret: string;
  /** Whether the app's auth settings include the JWT flow. Default true. */
  jwtFlowAllowed?: boolean;
}

export interface IssueCredentialOptions {
  /** The extension (user) the credential logs in as; `owner_id` of the tokens. */
  userId: string | number;
  /** The user's account. Default: a stable number derived from userId. */
  accountId?: string | number;
  /** Client IDs of the apps the credential may be used with; undefined: any app. */
  clientIds?: string[];
  /** When the credential stops working: a Date or seconds since the epoch. Default: never. */
  expiresAt?: Date | number;
}

export type SessionState = 'live' | 'expired' | 'revoked' | 'evicted' | 'refreshed';

export interface SessionInfo {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  userId: string;
  accountId: string;
  /** The jti of the credential that opened the session (kept through refreshes). */
  credentialId: string;
  /** ISO 8601, by the server's clock. */
  issuedAt: string;
  expiresAt: string;
  state: SessionState;
}

export interface RingCentralEmulatorOptions extends ServerTimingOptions, ServerListenOptions {
  clients: RingCentralClient[];
  /** Live sessions (access tokens) one user may have with one app. Default 5. */
  sessionLimit?: number;
  /** What a login past the limit does: end the oldest session (default), or answer 429. */
  sessionLimitMode?: 'evict-oldest' | 'reject';
}

export interface RingCentralEmulator extends EmulatorControls {
  /**
   * Server URL, `http://127.0.0.1:<port>` (the real one is https://platform.ringcentral.com); see
   * ServerListenOptions for https and another host name.
   */
  url: string;
  /**
   * Queues responses for a route such as 'POST /restapi/oauth/token' (':name' matches any one segment). They
   * are used first-in first-out, before normal handling. See rateLimited() for RingCentral's 429.
   */
  fail(route: string, ...responses: ScriptedFault[]): void;
  /** Mints a JWT credential, as the developer console's "Create JWT" does. */
  issueCredential(options: IssueCredentialOptions): string;
  /** Revokes a credential, as its owner can in the console. Its sessions stay until they end. */
  revokeCredential(credential: string): void;
  /** Sessions whose access token works now, oldest first. */
  liveSessions(): SessionInfo[];
  /** Every session opened, oldest first, with its state. */
  sessions(): SessionInfo[];
  /** Makes an access token expire now. */
  expireAccessToken(accessToken: string): void;
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RingCentral's default lifetimes: access token one hour, refresh token one week (its "Using access tokens"). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
export const REFRESH_TOKEN_LIFETIME_SECONDS = 604_800;
export const DEFAULT_SESSION_LIMIT = 5;
/** The `scope` the emulator's tokens report (an app's permissions, space-separated); scopes are not enforced. */
export const DEFAULT_SCOPE = 'ReadAccounts ReadCallLog SMS';

/** Grant types RingCentral knows: an app without them gets OAU-251, an unknown one OAU-250. */
const KNOWN_GRANTS = [
  'authorization_code',
  'password',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  JWT_BEARER_GRANT,
];

interface OAuthError {
  error: string;
  error_description: string;
  errors: { errorCode: string; message: string; parameters?: { parameterName: string; parameterValue?: string }[] }[];
}

interface ApiError {
  errorCode: string;
  message: string;
  errors?: { errorCode: string; message: string }[];
}

function oauthError(error: string, errorCode: string, message: string, parameter?: [string, string?]): OAuthError {
  const parameters = parameter && [{ parameterName: parameter[0], parameterValue: parameter[1] }];
  return { error, error_description: message, errors: [{ errorCode, message, ...(parameters && { parameters }) }] };
}

function apiError(errorCode: string, message: string, nestedCode = errorCode): ApiError {
  return { errorCode, message, errors: [{ errorCode: nestedCode, message }] };
}

/**
 * RingCentral's status codes and bodies. Token-endpoint bodies are RingCentral's OAuth shape ({error,
 * error_description, errors: [{errorCode, message, parameters?}]}); API bodies are {errorCode, message,
 * errors}. Each entry says where it comes from. "Judgement" means no real response was found and the entry is
 * built from RingCentral's error-code table (developers.ringcentral.com/guide/basics/errors) and RFC 6749/7523.
 */
export const RC_ERRORS = {
  /**
   * No client authentication. Body captured from the sandbox in ringcentral/ringcentral-api-docs PR #33; status
   * 401 from the error-code table (OAU-123 is listed as 401).
   */
  clientAuthRequired: {
    status: 401,
    body: oauthError('invalid_client', 'OAU-123', 'Client authentication is required'),
  },
  /**
   * An Authorization header that is not Basic, or whose value does not decode to `id:secret`. Status,
   * `error` and description captured in ringcentral/ringcentral-php issue #39; the errors entry (OAU-123,
   * "Invalid Authorization header value") is judgement from the error-code table.
   */
  malformedClientAuth: {
    status: 400,
    body: oauthError('invalid_client', 'OAU-123', 'Authentication header value is malformed'),
  },
  /**
   * Unknown client ID, or a known one with the wrong secret (RingCentral does not tell them apart; the
   * wrong-secret case is judgement). Status 400 and the shape, parameters included, from a recorded response
   * in a RingCentral TypeScript client's tests ("Invalid client: xx", 2017); the wording "Invalid client
   * application: [<id>]" is how a 2025 JWT-flow report quotes OAU-153, so we use that.
   */
  invalidClient: (clientId: string) => ({
    status: 400,
    body: oauthError('invalid_client', 'OAU-153', `Invalid client application: [${clientId}]`, ['client_id', clientId]),
  }),
  /** No grant_type or no assertion: judgement (invalid_request per RFC 6749; CMN-101 from the code table). */
  missingParameter: (name: string) => ({
    status: 400,
    body: oauthError('invalid_request', 'CMN-101', `Parameter [${name}] value is invalid.`, [name]),
  }),
  /**
   * A grant type RingCentral does not know, and a JWT credential it cannot verify (not a JWT, signed by
   * another environment's key, e.g. a sandbox JWT on production). OAU-250 "unsupported grant type" is what
   * users report for a JWT from the other environment (two independent reports); message and status are
   * judgement (RFC 6749 §5.2).
   */
  unsupportedGrantType: {
    status: 400,
    body: oauthError('unsupported_grant_type', 'OAU-250', 'Unsupported grant type'),
  },
  /**
   * The app's auth settings do not include this grant (e.g. JWT flow off). Captured verbatim, status
   * included, in a Stack Overflow question (47692828) and ringcentral-web-phone issue #116; RingCentral's FAQ
   * "unauthorized grant type" names the JWT flow as a cause.
   */
  unauthorizedGrantType: {
    status: 400,
    body: oauthError('unauthorized_client', 'OAU-251', 'Unauthorized for this grant type'),
  },
  /**
   * A revoked credential (or an unknown / used-up refresh token). RingCentral's wording for a token it no
   * longer has ("Token not found", OAU-213, RingCentral community Q1221 names revocation as a cause); using it
   * for a revoked JWT credential, and status 400 invalid_grant (RFC 7523 §3.1), is judgement.
   */
  credentialRevoked: { status: 400, body: oauthError('invalid_grant', 'OAU-213', 'Token not found') },
  /**
   * An expired credential (or refresh token). Body from RingCentral's community article "My access token
   * expired (error OAU-210)"; status 400 (RFC 7523 §3.1) and its use for JWT credentials are judgement.
   */
  credentialExpired: { status: 400, body: oauthError('invalid_grant', 'OAU-210', 'Token expired') },
  /**
   * A credential restricted to other apps. No real response found: judgement, OAU-121 "Wrong Application" and
   * its status 401 from the error-code table, `error` from RFC 7523 §3.1.
   */
  credentialNotForThisApp: { status: 401, body: oauthError('invalid_grant', 'OAU-121', 'Wrong Application') },
  /**
   * Rate limit: CMN-301 "Request rate exceeded", 429, from the error-code table; the flat body is what
   * RingCentral clients record from the API (several codebases). RingCentral says to honour Retry-After.
   */
  rateLimited: { status: 429, body: apiError('CMN-301', 'Request rate exceeded') },
  /** API call without Authorization. Checked live against platform.ringcentral.com (a public emulator recipe). */
  authorizationMissing: {
    status: 401,
    body: { errorCode: 'AGW-401', message: 'Authorization header is not specified' },
  },
  /**
   * A bearer token the server never issued. Checked live (same recipe): gateway code TokenInvalid outside,
   * OAU-149 inside, one sentence for both.
   */
  tokenInvalid: { status: 401, body: apiError('TokenInvalid', 'OAuth token is invalid', 'OAU-149') },
  /**
   * A revoked access token, or one that lost its session (limit reached, refreshed). "TokenInvalid: OAU-213
   * (Token not found)" from RingCentral community Q1221 (revocation named as a cause there) and client code
   * that handles sessions rotated out by other workers sharing one JWT.
   */
  tokenNotFound: { status: 401, body: apiError('TokenInvalid', 'Token not found', 'OAU-213') },
  /** An expired access token. OAU-128 "Access token expired." from the code table; the outer code is judgement. */
  tokenExpired: { status: 401, body: apiError('TokenExpired', 'Access token expired', 'OAU-128') },
  /** A scheme other than Bearer: OAU-151 from the code table (401 on every API method); judgement otherwise. */
  authorizationMethodNotSupported: { status: 401, body: apiError('OAU-151', 'Authorization method not supported') },
  /** An unknown path. Recorded response in the same TypeScript client's tests (CMN-120 Invalid URI, 404). */
  invalidUri: { status: 404, body: apiError('CMN-120', 'Invalid URI') },
} as const;

/** RingCentral's 429, for fail(): Retry-After in seconds, and the rate-limit headers it sends. */
export function rateLimited(retryAfterSeconds = 60): ScriptedResponse {
  return {
    status: 429,
    body: RC_ERRORS.rateLimited.body,
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-rate-limit-group': 'auth',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-window': '60',
    },
  };
}

/** An app with a RingCentral-looking client ID (22 base62 characters) and secret, JWT flow on. */
export function makeRingCentralClient(overrides: Partial<RingCentralClient> = {}): RingCentralClient {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const random = (length: number) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
  return { clientId: random(22), clientSecret: random(44), jwtFlowAllowed: true, ...overrides };
}

/** A stable positive id for a name, so account ids are the same in every run. */
function stableNumber(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (hash % 900_000_000) + 100_000_000;
}

// ---------------------------------------------------------------------------------------------------------
// Internals

type Reply = ScriptedResponse;

interface CredentialRecord {
  jti: string;
  userId: string;
  accountId: string;
  clientIds: string[] | undefined;
  /** Seconds since the epoch; undefined: never. */
  expiresAt: number | undefined;
  revoked: boolean;
}

interface SessionRecord {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  userId: string;
  accountId: string;
  credentialId: string;
  issuedAt: number;
  expiresAt: number;
  refreshExpiresAt: number;
  /** 'expired' is never stored: it is derived from expiresAt. */
  state: Exclude<SessionState, 'expired'>;
}

interface RequestContext {
  query: URLSearchParams;
  form: Record<string, string>;
  authorization: string | undefined;
  params: Record<string, string>;
}

interface Route {
  method: string;
  pattern: string;
  handle(context: RequestContext): Reply;
}

/** Shaped like RingCentral's opaque tokens: base64 of a routing prefix, a bar and random bytes. */
function opaqueToken(prefix: string): string {
  return Buffer.from(`${prefix}|${randomBytes(40).toString('base64url')}`).toString('base64url');
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function startRingCentralEmulator(options: RingCentralEmulatorOptions): Promise<RingCentralEmulator> {
  const sessionLimit = options.sessionLimit ?? DEFAULT_SESSION_LIMIT;
  const credentials = new Map<string, CredentialRecord>();
  const sessions: SessionRecord[] = [];
  const byAccessToken = new Map<string, SessionRecord>();
  const byRefreshToken = new Map<string, SessionRecord>();
  // The console's signing key: credentials from another emulator instance do not verify here.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = randomUUID();

  const routes: Route[] = [
    { method: 'POST', pattern: '/restapi/oauth/token', handle: token },
    { method: 'POST', pattern: '/restapi/oauth/revoke', handle: revoke },
    { method: 'GET', pattern: '/restapi/v1.0/account/:accountId/extension/:extensionId', handle: extension },
  ];

  const controls = await startHttpEmulator({
    routes,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    tls: options.tls,
    urlHost: options.urlHost,
    bodyFormat: 'json-if-declared',
    // RingCentral's spelling, as recorded in client tests.
    contentType: 'application/json;charset=UTF-8',
    headers: () => ({ rcrequestid: randomUUID() }),
    handle,
    emulatorError: (cause) => ({ status: 500, body: apiError('CMN-203', `Emulator error: ${String(cause)}`) }),
  });
  const { url: origin, serverNow } = controls;
  const tokenEndpoint = `${origin}/restapi/oauth/token`;

  function stateOf(session: SessionRecord): SessionState {
    return session.state === 'live' && session.expiresAt <= serverNow() ? 'expired' : session.state;
  }

  function sessionInfo(session: SessionRecord): SessionInfo {
    return {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      clientId: session.clientId,
      userId: session.userId,
      accountId: session.accountId,
      credentialId: session.credentialId,
      issuedAt: isoSeconds(session.issuedAt),
      expiresAt: isoSeconds(session.expiresAt),
      state: stateOf(session),
    };
  }

  function signCredential(claims: Record<string, unknown>, key: KeyObject): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ kid: keyId, typ: 'JWT', alg: 'ES256' })}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  /** The credential a JWT names, if this server signed it. */
  function credentialOf(jwt: string): CredentialRecord | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return undefined;
    const header = parseJsonSegment(parts[0]);
    const claims = parseJsonSegment(parts[1]);
    if (header?.alg !== 'ES256' || !claims || claims.iss !== origin) return undefined;
    let valid = false;
    try {
      valid = verify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(parts[2], 'base64url'),
      );
    } catch {
      valid = false;
    }
    return valid && typeof claims.jti === 'string' ? credentials.get(claims.jti) : undefined;
  }

  /** Basic client_id:client_secret, checked the way RingCentral answers (see RC_ERRORS for each body). */
  function authenticateClient(authorization: string | undefined): { client: RingCentralClient } | Reply {
    if (authorization === undefined || authorization.trim() === '') return RC_ERRORS.clientAuthRequired;
    const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) return RC_ERRORS.malformedClientAuth;
    const clientId = decoded.slice(0, colon);
    const client = options.clients.find((c) => c.clientId === clientId);
    if (!client || client.clientSecret !== decoded.slice(colon + 1)) return RC_ERRORS.invalidClient(clientId);
    return { client };
  }

  function liveSessionsOf(userId: string, clientId: string): SessionRecord[] {
    return sessions.filter((s) => s.userId === userId && s.clientId === clientId && stateOf(s) === 'live');
  }

  function tokenBody(session: SessionRecord) {
    return {
      access_token: session.accessToken,
      token_type: 'bearer',
      expires_in: session.expiresAt - serverNow(),
      refresh_token: session.refreshToken,
      refresh_token_expires_in: session.refreshExpiresAt - serverNow(),
      scope: DEFAULT_SCOPE,
      owner_id: session.userId,
      endpoint_id: randomBytes(16).toString('base64url').slice(0, 22),
    };
  }

  function openSession(fields: Pick<SessionRecord, 'clientId' | 'userId' | 'accountId' | 'credentialId'>) {
    const now = serverNow();
    const session: SessionRecord = {
      ...fields,
      accessToken: opaqueToken('SJC11P01PAS00'),
      refreshToken: opaqueToken('SJC11P01PAS00R'),
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_LIFETIME_SECONDS,
      refreshExpiresAt: now + REFRESH_TOKEN_LIFETIME_SECONDS,
      state: 'live',
    };
    sessions.push(session);
    byAccessToken.set(session.accessToken, session);
    byRefreshToken.set(session.refreshToken, session);
    return session;
  }

  function jwtGrant(client: RingCentralClient, form: Record<string, string>): Reply {
    if (!form.assertion) return RC_ERRORS.missingParameter('assertion');
    const credential = credentialOf(form.assertion);
    if (!credential) return RC_ERRORS.unsupportedGrantType;
    if (credential.revoked) return RC_ERRORS.credentialRevoked;
    if (credential.expiresAt !== undefined && credential.expiresAt <= serverNow()) return RC_ERRORS.credentialExpired;
    if (credential.clientIds && !credential.clientIds.includes(client.clientId))
      return RC_ERRORS.credentialNotForThisApp;
    const live = liveSessionsOf(credential.userId, client.clientId);
    if (live.length >= sessionLimit) {
      if (options.sessionLimitMode === 'reject') return rateLimited();
      for (const oldest of live.slice(0, live.length - sessionLimit + 1)) oldest.state = 'evicted';
    }
    const session = openSession({
      clientId: client.clientId,
      userId: credential.userId,
      accountId: credential.accountId,
      credentialId: credential.jti,
    });
    return { status: 200, body: tokenBody(session) };
  }

  /** A refresh ends the old access token and keeps the session's slot. */
  function refreshGrant(client: RingCentralClient, form: Record<string, string>): Reply {
    if (!form.refresh_token) return RC_ERRORS.missingParameter('refresh_token');
    const old = byRefreshToken.get(form.refresh_token);
    // A refresh token outlives its access token, not its session.
    if (!old || old.clientId !== client.clientId || old.state !== 'live') return RC_ERRORS.credentialRevoked;
    if (old.refreshExpiresAt <= serverNow()) return RC_ERRORS.credentialExpired;
    old.state = 'refreshed';
    const session = openSession({
      clientId: old.clientId,
      userId: old.userId,
      accountId: old.accountId,
      credentialId: old.credentialId,
    });
    return { status: 200, body: tokenBody(session) };
  }

  function token({ authorization, form }: RequestContext): Reply {
    const auth = authenticateClient(authorization);
    if (!('client' in auth)) return auth;
    const grantType = form.grant_type;
    if (!grantType) return RC_ERRORS.missingParameter('grant_type');
    if (!KNOWN_GRANTS.includes(grantType)) return RC_ERRORS.unsupportedGrantType;
    const jwtAllowed = auth.client.jwtFlowAllowed ?? true;
    // The emulated apps are JWT apps: refresh comes with the JWT flow, every other grant is off.
    if (grantType === JWT_BEARER_GRANT && jwtAllowed) return jwtGrant(auth.client, form);
    if (grantType === 'refresh_token' && jwtAllowed) return refreshGrant(auth.client, form);
    return RC_ERRORS.unauthorizedGrantType;
  }

  /**
   * RingCentral answers 200 with an empty body whenever the client authenticates, "even if revocation was not
   * successful (for instance if a token passed was issued to another application, expired, or ... malformed)"
   * (its "Auth Tokens" guide, RFC 7009). The token may come as a form field or a query parameter.
   */
  function revoke({ authorization, form, query }: RequestContext): Reply {
    const auth = authenticateClient(authorization);
    if (!('client' in auth)) return auth;
    const value = form.token ?? query.get('token') ?? '';
    if (!value) return RC_ERRORS.missingParameter('token');
    const session = byAccessToken.get(value) ?? byRefreshToken.get(value);
    if (session && session.clientId === auth.client.clientId && session.state === 'live') session.state = 'revoked';
    return { status: 200 };
  }

  /** Bearer in the header, or the access_token query parameter (both documented by RingCentral). */
  function authenticateBearer(context: RequestContext): { session: SessionRecord } | Reply {
    let value = context.query.get('access_token') ?? undefined;
    if (context.authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(context.authorization);
      if (!match) return RC_ERRORS.authorizationMethodNotSupported;
      value = match[1];
    }
    if (value === undefined) return RC_ERRORS.authorizationMissing;
    const session = byAccessToken.get(value);
    if (!session) return RC_ERRORS.tokenInvalid;
    const state = stateOf(session);
    if (state === 'expired') return RC_ERRORS.tokenExpired;
    if (state !== 'live') return RC_ERRORS.tokenNotFound;
    return { session };
  }

  function extension(context: RequestContext): Reply {
    const auth = authenticateBearer(context);
    if (!('session' in auth)) return auth;
    const { accountId, userId } = auth.session;
    const { accountId: accountParam, extensionId: extensionParam } = context.params;
    if ((accountParam !== '~' && accountParam !== accountId) || (extensionParam !== '~' && extensionParam !== userId))
      return { status: 404, body: apiError('CMN-102', 'Resource for parameter [extensionId] is not found') };
    const accountUri = `${origin}/restapi/v1.0/account/${accountId}`;
    return {
      status: 200,
      body: {
        uri: `${accountUri}/extension/${userId}`,
        id: Number(userId) || userId,
        extensionNumber: '101',
        contact: { firstName: 'Test', lastName: `User ${userId}`, email: `user${userId}@example.com` },
        name: `Test User ${userId}`,
        type: 'User',
        status: 'Enabled',
        account: { uri: accountUri, id: accountId },
        permissions: { admin: { enabled: false }, internationalCalling: { enabled: false } },
      },
    };
  }

  /** The OAuth endpoints read form fields; a JSON body has none. */
  function handle({ route, params, query, headers, body, bodyKind }: EmulatedRequest<Route>): Reply {
    if (!route) return RC_ERRORS.invalidUri;
    const form = bodyKind === 'form' ? (body as Record<string, string>) : {};
    return route.handle({ query, form, authorization: headers.authorization, params });
  }

  return {
    ...controls,
    issueCredential({ userId, accountId, clientIds, expiresAt }) {
      const jti = randomUUID();
      const user = String(userId);
      const expiry = expiresAt instanceof Date ? Math.floor(expiresAt.getTime() / 1000) : expiresAt;
      credentials.set(jti, {
        jti,
        userId: user,
        accountId: String(accountId ?? stableNumber(`account:${user}`)),
        clientIds: clientIds && [...clientIds],
        expiresAt: expiry,
        revoked: false,
      });
      const claims = { aud: tokenEndpoint, sub: user, iss: origin, iat: serverNow(), jti };
      return signCredential(expiry === undefined ? claims : { ...claims, exp: expiry }, privateKey);
    },
    revokeCredential(credential) {
      const record = credentialOf(credential);
      if (!record) throw new Error('revokeCredential(): this emulator did not issue that credential');
      record.revoked = true;
    },
    liveSessions: () => sessions.filter((s) => stateOf(s) === 'live').map(sessionInfo),
    sessions: () => sessions.map(sessionInfo),
    expireAccessToken(accessToken) {
      const session = byAccessToken.get(accessToken);
      if (!session) throw new Error('expireAccessToken(): the emulator never issued that token');
      session.expiresAt = serverNow();
    },
  };
}
