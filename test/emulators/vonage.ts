/**
 * A local stand-in for the Vonage APIs that take an application JWT as `Authorization: Bearer`. Vonage has no
 * token exchange: the client signs an RS256 JWT with the application's private key and sends it on every
 * call, so this emulator's job is the gateway's check of that JWT, plus two sample endpoints behind it:
 *
 * - Voice API `GET /v1/calls` (list calls): an empty page shaped like Vonage's HAL list.
 * - Messages API `POST /v1/messages` (send a message): 202 with a `message_uuid`.
 *
 * The two APIs answer a refused JWT differently, as the real ones do: the Voice API with its legacy body
 * `{"type":"UNAUTHORIZED","error_title":"Unauthorized"}`, the Messages API with an RFC 7807 problem document.
 * Where each body comes from is noted in VONAGE_ERRORS.
 *
 * It is a real HTTP server on 127.0.0.1 so the action's fetch/proxy code is exercised for real. Applications
 * are read live from the options object, so a test may rotate a key or drop an application between requests.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import { generateKeyPairSync, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type ScriptedFault,
  type ScriptedResponse as Reply,
  type ServerListenOptions,
  type ServerTimingOptions,
} from './http-emulator.ts';
import { parseJsonSegment, publicKeyCache } from './jwt-parts.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

export interface VonageApplication {
  /** The application ID, a UUID; JWTs name it in their `application_id` claim. */
  id: string;
  /** Verifies the application's JWTs: a PEM (SPKI or PKCS#1) or a KeyObject. A private key works too. */
  publicKey: KeyObject | string;
}

/** A JWT the emulator let through, in the order received. */
export interface AcceptedJwt {
  applicationId: string;
  jti: string;
  /** The decoded claims, as sent. */
  claims: Record<string, unknown>;
  /** The route it was used on. */
  route: string;
}

/** Why a JWT was refused, for tests that want more than Vonage's one-size body. */
export type RejectionReason =
  | 'missing'
  | 'not-bearer'
  | 'malformed'
  | 'algorithm'
  | 'unknown-application'
  | 'signature'
  | 'iat'
  | 'jti'
  | 'exp'
  | 'expired'
  | 'too-long'
  | 'nbf';

export interface RejectedJwt {
  reason: RejectionReason;
  route: string;
}

export interface VonageEmulatorOptions extends ServerTimingOptions, ServerListenOptions {
  applications: VonageApplication[];
}

export interface VonageEmulator extends EmulatorControls {
  /**
   * API base URL, `http://127.0.0.1:<port>` (the real one is https://api.nexmo.com), no trailing slash; see
   * ServerListenOptions for https and another host name.
   */
  url: string;
  /**
   * Queues responses for a route such as 'GET /v1/calls' (':name' matches any one segment). They are used
   * first-in first-out, before normal handling (and before the JWT check).
   */
  fail(route: string, ...responses: ScriptedFault[]): void;
  /** JWTs that passed the check, in order. A jti may appear more than once: Vonage allows reuse. */
  acceptedJwts(): AcceptedJwt[];
  /** JWTs that were refused, with the reason the emulator found (Vonage's body does not say). */
  rejectedJwts(): RejectedJwt[];
}

/** Vonage's limit on a JWT's lifetime, exp - iat (the action's contract: at most 24 h). */
export const JWT_MAX_LIFETIME_SECONDS = 86_400;
/** The Voice API's default and largest page_size for GET /v1/calls (its API reference). */
export const CALLS_DEFAULT_PAGE_SIZE = 10;
export const CALLS_MAX_PAGE_SIZE = 100;

/**
 * Vonage's bodies. Vonage gives no reason for a refused JWT: every failure of the check (bad signature, expired,
 * unknown application, missing claim) gets the same body, which is why rejectedJwts() exists.
 */
export const VONAGE_ERRORS = {
  /**
   * Voice API, any refused credential, HTTP 401. Exact text asserted by Vonage's own API-gateway sanity tests
   * (`GET|POST|PUT|DELETE /v1/calls` with `Authorization: Bearer INVALID`); nexmo-go's tests mock the same
   * body for GET /v1/calls without credentials.
   */
  voiceUnauthorized: { type: 'UNAUTHORIZED', error_title: 'Unauthorized' },
  /** Voice API, a known path with a method it does not serve, HTTP 405: same gateway tests (PUT, DELETE). */
  voiceMethodNotAllowed: { type: 'METHOD_NOT_ALLOWED', error_title: 'Method Not Allowed' },
  /**
   * Messages API, any refused credential, HTTP 401, as application/problem+json. title, detail and instance
   * (the request's trace id) are asserted by Vonage's API-gateway tests for POST /v0.1/messages with a bad
   * Authorization header. Their `type` is not asserted there: we use Vonage's generic
   * https://developer.nexmo.com/api-errors#unauthorized (its API Errors page; judgement).
   */
  messagesUnauthorized: (instance: string) => ({
    type: 'https://developer.nexmo.com/api-errors#unauthorized',
    title: 'Unauthorised',
    detail: 'Invalid Token',
    instance,
  }),
  /** Any other path: judgement, in the Voice API's legacy style (Vonage's edge answers with an Envoy page). */
  notFound: { type: 'NOT_FOUND', error_title: 'Not Found' },
} as const;

/**
 * A fresh application with its own RSA 2048 key pair. The private key is PKCS#8, as the Vonage dashboard's
 * `private.key` download is; the public key is the SPKI PEM the dashboard shows.
 */
export function makeVonageApp(): { applicationId: string; publicKey: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { applicationId: randomUUID(), publicKey, privateKeyPem: privateKey };
}

// ---------------------------------------------------------------------------------------------------------
// Internals

interface RequestContext {
  body: unknown;
  query: URLSearchParams;
  /** Vonage's trace id for this request, echoed as `instance` in problem documents. */
  traceId: string;
}

interface Route {
  method: string;
  pattern: string;
  /** How this API words a refused JWT. */
  unauthorized(context: RequestContext): Reply;
  handle(context: RequestContext, claims: Record<string, unknown>): Reply;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const voiceUnauthorized = (): Reply => ({ status: 401, body: VONAGE_ERRORS.voiceUnauthorized });

function listCalls(context: RequestContext): Reply {
  const requestedSize = Number(context.query.get('page_size'));
  const pageSize =
    Number.isInteger(requestedSize) && requestedSize > 0
      ? Math.min(requestedSize, CALLS_MAX_PAGE_SIZE)
      : CALLS_DEFAULT_PAGE_SIZE;
  const recordIndex = Math.max(Number(context.query.get('record_index')) || 0, 0);
  const order = context.query.get('order') === 'desc' ? 'desc' : 'asc';
  return {
    status: 200,
    body: {
      count: 0,
      page_size: pageSize,
      record_index: recordIndex,
      _links: { self: { href: `/v1/calls?page_size=${pageSize}&record_index=${recordIndex}&order=${order}` } },
      _embedded: { calls: [] },
    },
  };
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: '/v1/calls', unauthorized: voiceUnauthorized, handle: listCalls },
  {
    method: 'POST',
    pattern: '/v1/messages',
    unauthorized: ({ traceId }) => ({
      status: 401,
      body: VONAGE_ERRORS.messagesUnauthorized(traceId),
      headers: { 'content-type': 'application/problem+json' },
    }),
    // The payload is not validated: these tests are about the credential, not the message.
    handle: () => ({ status: 202, body: { message_uuid: randomUUID() } }),
  },
];

export async function startVonageEmulator(options: VonageEmulatorOptions): Promise<VonageEmulator> {
  const accepted: AcceptedJwt[] = [];
  const rejected: RejectedJwt[] = [];
  const publicKeyFor = publicKeyCache();

  const controls = await startHttpEmulator({
    routes: ROUTES,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    tls: options.tls,
    urlHost: options.urlHost,
    bodyFormat: 'form-if-declared',
    contentType: 'application/json',
    // Vonage's gateway sends these on every answer (asserted by its gateway tests).
    headers: () => ({
      'x-xss-protection': '1; mode=block',
      'strict-transport-security': 'max-age=31536000; includeSubdomains',
      'x-content-type-options': 'nosniff',
    }),
    handle,
    emulatorError: (cause) => ({
      status: 500,
      body: { type: 'INTERNAL_SERVER_ERROR', error_title: `Emulator error: ${String(cause)}` },
    }),
  });
  const { serverNow } = controls;

  /**
   * The gateway's check. Vonage documents the claims (application_id, iat, jti, exp, nbf) but not the order it
   * checks them in, and its answer is the same for all, so the order here only shapes rejectedJwts().
   */
  function checkJwt(authorization: string | undefined): { claims: Record<string, unknown> } | RejectionReason {
    if (authorization === undefined) return 'missing';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return 'not-bearer';
    const parts = match[1].split('.');
    const header = parts.length === 3 ? parseJsonSegment(parts[0]) : undefined;
    const claims = parts.length === 3 ? parseJsonSegment(parts[1]) : undefined;
    if (!header || !claims) return 'malformed';
    if (header.alg !== 'RS256') return 'algorithm';
    const application = options.applications.find((a) => a.id === claims.application_id);
    if (typeof claims.application_id !== 'string' || !application) return 'unknown-application';
    let signatureValid = false;
    try {
      const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`);
      signatureValid = verify(
        'sha256',
        signingInput,
        publicKeyFor(application.publicKey),
        Buffer.from(parts[2], 'base64url'),
      );
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) return 'signature';
    const now = serverNow();
    const { iat, jti, exp, nbf } = claims;
    if (!isNumber(iat)) return 'iat';
    if (typeof jti !== 'string' || jti === '') return 'jti';
    if (!isNumber(exp)) return 'exp';
    if (exp <= now) return 'expired';
    if (exp - iat > JWT_MAX_LIFETIME_SECONDS) return 'too-long';
    if (nbf !== undefined && (!isNumber(nbf) || nbf > now)) return 'nbf';
    return { claims };
  }

  function handle(request: EmulatedRequest<Route>): Reply {
    const { route, allowedMethods } = request;
    const authorization = request.headers.authorization;
    if (!route) {
      if (allowedMethods.length === 0) return { status: 404, body: VONAGE_ERRORS.notFound };
      // Vonage's gateway checks the credential before the method: PUT /v1/calls with a bad JWT is 401, with a
      // good one 405 (its gateway tests). The 405 is worded in the Voice API's style whatever the path.
      if (typeof checkJwt(authorization) === 'string') return voiceUnauthorized();
      return { status: 405, body: VONAGE_ERRORS.voiceMethodNotAllowed, headers: { allow: allowedMethods.join(', ') } };
    }
    const context = { body: request.body, query: request.query, traceId: randomBytes(16).toString('hex') };
    const label = `${route.method} ${route.pattern}`;
    const result = checkJwt(authorization);
    if (typeof result === 'string') {
      rejected.push({ reason: result, route: label });
      return route.unauthorized(context);
    }
    accepted.push({
      applicationId: result.claims.application_id as string,
      jti: result.claims.jti as string,
      claims: result.claims,
      route: label,
    });
    return route.handle(context, result.claims);
  }

  return {
    ...controls,
    acceptedJwts: () => accepted.map((entry) => ({ ...entry, claims: { ...entry.claims } })),
    rejectedJwts: () => rejected.map((entry) => ({ ...entry })),
  };
}
