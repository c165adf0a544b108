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
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, no local imports.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VonageApplication {
  /** The application ID, a UUID; JWTs name it in their `application_id` claim. */
  id: string;
  /** Verifies the application's JWTs: a PEM (SPKI or PKCS#1) or a KeyObject. A private key works too. */
  publicKey: KeyObject | string;
}

export interface RecordedRequest {
  method: string;
  /** The path as sent, query string included. */
  path: string;
  /** The route it matched, e.g. `GET /v1/calls`; undefined for none. */
  route: string | undefined;
  /** Parsed JSON, or a form body as an object; the raw text otherwise; undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface ScriptedResponse {
  status: number;
  /** An object is sent as JSON, a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** 'reset' destroys the socket without answering: the client sees a network error. */
export type ScriptedFault = ScriptedResponse | 'reset';

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

export interface VonageEmulatorOptions {
  applications: VonageApplication[];
  /** How far the server's clock is ahead of this machine's (negative: behind). Moves the Date header too. */
  clockOffsetSeconds?: number;
  /** Delay before every response, scripted ones included. */
  latencyMs?: number;
}

export interface VonageEmulator {
  /** API base URL, `http://127.0.0.1:<port>` (the real one is https://api.nexmo.com), no trailing slash. */
  url: string;
  /** Every request received, in order, scripted and refused ones included. */
  requests: RecordedRequest[];
  setClockOffset(seconds: number): void;
  setLatency(ms: number): void;
  /** The server's clock, in seconds since the epoch. */
  serverNow(): number;
  /**
   * Queues responses for a route such as 'GET /v1/calls' (':name' matches any one segment). They are used
   * first-in first-out, before normal handling (and before the JWT check).
   */
  fail(route: string, ...responses: ScriptedFault[]): void;
  /** Scripted responses not used yet. */
  pendingFaults(): number;
  /** JWTs that passed the check, in order. A jti may appear more than once: Vonage allows reuse. */
  acceptedJwts(): AcceptedJwt[];
  /** JWTs that were refused, with the reason the emulator found (Vonage's body does not say). */
  rejectedJwts(): RejectedJwt[];
  close(): Promise<void>;
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

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to application/json. */
  contentType?: string;
}

interface QueuedFault {
  method: string;
  segments: string[];
  fault: ScriptedFault;
}

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

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): boolean {
  return pattern.length === actual.length && pattern.every((s, i) => s.startsWith(':') || s === actual[i]);
}

function parseJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return undefined;
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export async function startVonageEmulator(options: VonageEmulatorOptions): Promise<VonageEmulator> {
  let clockOffsetSeconds = options.clockOffsetSeconds ?? 0;
  let latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const faults: QueuedFault[] = [];
  const accepted: AcceptedJwt[] = [];
  const rejected: RejectedJwt[] = [];
  // Keyed by the configured key, so a test that rotates application.publicKey is seen at once.
  const publicKeys = new Map<KeyObject | string, KeyObject>();

  const server = createServer((request, response) => serveOrReportBug(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const serverNowMs = () => Date.now() + clockOffsetSeconds * 1000;
  const serverNow = () => Math.floor(serverNowMs() / 1000);

  function publicKeyOf(application: VonageApplication): KeyObject {
    let key = publicKeys.get(application.publicKey);
    if (!key) {
      key =
        typeof application.publicKey !== 'string' && application.publicKey.type === 'public'
          ? application.publicKey
          : createPublicKey(application.publicKey);
      publicKeys.set(application.publicKey, key);
    }
    return key;
  }

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
      signatureValid = verify('sha256', signingInput, publicKeyOf(application), Buffer.from(parts[2], 'base64url'));
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

  const voiceUnauthorized = (): Reply => ({ status: 401, body: VONAGE_ERRORS.voiceUnauthorized });
  const routes: Route[] = [
    { method: 'GET', pattern: '/v1/calls', unauthorized: voiceUnauthorized, handle: listCalls },
    {
      method: 'POST',
      pattern: '/v1/messages',
      unauthorized: ({ traceId }) => ({
        status: 401,
        body: VONAGE_ERRORS.messagesUnauthorized(traceId),
        contentType: 'application/problem+json',
      }),
      // The payload is not validated: these tests are about the credential, not the message.
      handle: () => ({ status: 202, body: { message_uuid: randomUUID() } }),
    },
  ];

  /** The route for method and path, and the methods the path serves (empty for an unknown path). */
  function matchRoute(method: string, path: string): { route: Route | undefined; methods: string[] } {
    const segments = splitPath(path);
    const samePath = routes.filter((route) => matchSegments(splitPath(route.pattern), segments));
    return { route: samePath.find((route) => route.method === method), methods: samePath.map((r) => r.method) };
  }

  function takeFault(method: string, path: string): ScriptedFault | undefined {
    const segments = splitPath(path);
    const index = faults.findIndex((f) => f.method === method && matchSegments(f.segments, segments));
    return index === -1 ? undefined : faults.splice(index, 1)[0].fault;
  }

  function handle(
    matched: ReturnType<typeof matchRoute>,
    authorization: string | undefined,
    context: RequestContext,
  ): Reply {
    const route = matched.route;
    if (!route) {
      if (matched.methods.length === 0) return { status: 404, body: VONAGE_ERRORS.notFound };
      // Vonage's gateway checks the credential before the method: PUT /v1/calls with a bad JWT is 401, with a
      // good one 405 (its gateway tests). The 405 is worded in the Voice API's style whatever the path.
      if (typeof checkJwt(authorization) === 'string') return voiceUnauthorized();
      return {
        status: 405,
        body: VONAGE_ERRORS.voiceMethodNotAllowed,
        headers: { allow: matched.methods.join(', ') },
      };
    }
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

  function send(response: ServerResponse, reply: Reply): void {
    // Vonage's gateway sends these on every answer (asserted by its gateway tests).
    const headers: Record<string, string> = {
      date: new Date(serverNowMs()).toUTCString(),
      'x-xss-protection': '1; mode=block',
      'strict-transport-security': 'max-age=31536000; includeSubdomains',
      'x-content-type-options': 'nosniff',
    };
    let payload = '';
    if (reply.body !== undefined) {
      headers['content-type'] = reply.contentType ?? 'application/json';
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    }
    Object.assign(headers, reply.headers);
    response.writeHead(reply.status, headers);
    response.end(payload);
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const rawPath = request.url ?? '/';
    const url = new URL(rawPath, origin);
    const body = parseBody(await readBody(request), request.headers['content-type']);
    const matched = matchRoute(method, url.pathname);
    requests.push({
      method,
      path: rawPath,
      route: matched.route ? `${matched.route.method} ${matched.route.pattern}` : undefined,
      body,
      headers: request.headers,
    });
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const fault = takeFault(method, url.pathname);
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    const traceId = randomBytes(16).toString('hex');
    const context = { body, query: url.searchParams, traceId };
    send(response, fault ?? handle(matched, request.headers.authorization, context));
  }

  function serveOrReportBug(request: IncomingMessage, response: ServerResponse): void {
    serve(request, response).catch((cause: unknown) => {
      // An emulator bug: answer loudly rather than leave the client hanging.
      if (response.headersSent) response.destroy();
      else
        send(response, {
          status: 500,
          body: { type: 'INTERNAL_SERVER_ERROR', error_title: `Emulator error: ${String(cause)}` },
        });
    });
  }

  return {
    url: origin,
    requests,
    setClockOffset(seconds) {
      clockOffsetSeconds = seconds;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    serverNow,
    fail(route, ...responses) {
      const match = /^([A-Za-z]+)\s+(\S+)$/.exec(route.trim());
      if (!match) throw new Error(`fail(): route '${route}' is not 'METHOD /path'`);
      const segments = splitPath(match[2]);
      for (const fault of responses) faults.push({ method: match[1].toUpperCase(), segments, fault });
    },
    pendingFaults: () => faults.length,
    acceptedJwts: () => accepted.map((entry) => ({ ...entry, claims: { ...entry.claims } })),
    rejectedJwts: () => rejected.map((entry) => ({ ...entry })),
    /** Stops the server and drops kept-alive connections; calling it again does nothing. */
    close() {
      if (!server.listening) return Promise.resolve();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((cause) => (cause ? reject(cause) : resolve())));
    },
  };
}
