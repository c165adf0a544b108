/**
 * The HTTP side the API emulators share: a real node:http server on 127.0.0.1 (node:https with `tls`), a server
 * clock that may run ahead of or behind this machine's (it sets the Date header), latency, a record of every
 * request, and scripted faults that answer before the emulator does. An emulator brings its routes and its
 * answers; nothing here knows any service.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path as sent, query string and any path prefix included (e.g. `/api/v3/app?x=1`). */
  path: string;
  /** The route it matched, e.g. `POST /app/installations/:installation_id/access_tokens`; undefined for none. */
  route: string | undefined;
  /** The body as the service reads it (see BodyFormat); undefined when empty. */
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

export interface ServerTimingOptions {
  /** How far the server's clock is ahead of this machine's (negative: behind). Moves the Date header too. */
  clockOffsetSeconds?: number;
  /** Delay before every response, scripted ones included. */
  latencyMs?: number;
}

/** How the server is reached. It always listens on 127.0.0.1. */
export interface ServerListenOptions {
  /** Serve HTTPS with this key and certificate (PEM), e.g. from test/tls.ts's makeTestCertificates. */
  tls?: { key: string; cert: string };
  /**
   * The host name `url` reports instead of 127.0.0.1, e.g. 'api.github.test' for a client that reaches the
   * server through a proxy mapping that name to 127.0.0.1 (clients bypass proxies for loopback hosts).
   */
  urlHost?: string;
}

/** What every emulator lets its tests do, whatever the service. */
export interface EmulatorControls {
  /**
   * `http://127.0.0.1:<port>` followed by any path prefix, no trailing slash; `https://` with `tls`, and
   * `urlHost` in place of 127.0.0.1 when given.
   */
  url: string;
  /** Every request received, in order, scripted and refused ones included. */
  requests: RecordedRequest[];
  setClockOffset(seconds: number): void;
  setLatency(ms: number): void;
  /** The server's clock, in seconds since the epoch. */
  serverNow(): number;
  /**
   * Queues responses for a route such as 'GET /v1/calls' (':name' matches any one segment). They are used
   * first-in first-out, before normal handling.
   */
  fail(route: string, ...responses: ScriptedFault[]): void;
  /** Scripted responses not used yet. */
  pendingFaults(): number;
  /** Stops the server and drops kept-alive connections; calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * How a service reads request bodies. JSON that does not parse is kept as the raw text.
 * - 'json': JSON whatever the Content-Type (GitHub).
 * - 'form-if-declared': a form when the Content-Type is application/x-www-form-urlencoded, else JSON (Vonage).
 * - 'json-if-declared': JSON when the Content-Type is application/json, else a form (RingCentral's OAuth).
 */
export type BodyFormat = 'json' | 'form-if-declared' | 'json-if-declared';

/** A form is an object of strings. */
export type BodyKind = 'empty' | 'json' | 'form' | 'text';

export interface RoutePattern {
  method: string;
  /** A path such as '/app/installations/:installation_id'; ':name' matches any one segment. */
  pattern: string;
}

/** A request as an emulator's handler sees it. */
export interface EmulatedRequest<R extends RoutePattern> {
  /** The route for this method and path; undefined for none. */
  route: R | undefined;
  /** The route's ':name' segments, percent-decoded. */
  params: Record<string, string>;
  /** The methods the routes serve at this path, for a 405's Allow header; empty for an unknown path. */
  allowedMethods: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  bodyKind: BodyKind;
}

export interface HttpEmulatorOptions<R extends RoutePattern> extends ServerTimingOptions, ServerListenOptions {
  routes: readonly R[];
  /** A base path such as '/api/v3' that the routes are under. A request outside it matches no route or fault. */
  pathPrefix?: string;
  bodyFormat: BodyFormat;
  /** The Content-Type of an answer with a body (the answer's own headers may override it). */
  contentType: string;
  /** Headers the service sends with every answer, besides Date; called for each answer. */
  headers(): Record<string, string>;
  /** The answer to a request that no scripted fault took. */
  handle(request: EmulatedRequest<R>): ScriptedResponse;
  /** The 500 answer, in the service's error shape, when handle throws: a bug in the emulator. */
  emulatorError(cause: unknown): ScriptedResponse;
}

interface QueuedFault {
  method: string;
  segments: string[];
  fault: ScriptedFault;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** ':name' segments match any one segment; returns the captured values, or undefined for no match. */
function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of pattern.entries()) {
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeSegment(actual[index]);
    else if (segment !== actual[index]) return undefined;
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  return '/' + prefix.replace(/^\/+|\/+$/g, '');
}

/** A host for a URL: IPv6 addresses in brackets. */
function urlHostPart(host: string | undefined): string {
  if (!host) return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function readsAsForm(format: BodyFormat, contentType: string | undefined): boolean {
  const type = (contentType ?? '').toLowerCase();
  if (format === 'form-if-declared') return type.startsWith('application/x-www-form-urlencoded');
  if (format === 'json-if-declared') return !type.startsWith('application/json');
  return false;
}

function parseBody(text: string, contentType: string | undefined, format: BodyFormat) {
  if (text.trim() === '') return { body: undefined, bodyKind: 'empty' as const };
  if (readsAsForm(format, contentType))
    return { body: Object.fromEntries(new URLSearchParams(text)), bodyKind: 'form' as const };
  try {
    return { body: JSON.parse(text) as unknown, bodyKind: 'json' as const };
  } catch {
    return { body: text, bodyKind: 'text' as const };
  }
}

export async function startHttpEmulator<R extends RoutePattern>(
  options: HttpEmulatorOptions<R>,
): Promise<EmulatorControls> {
  const prefix = normalizePrefix(options.pathPrefix);
  let clockOffsetSeconds = options.clockOffsetSeconds ?? 0;
  let latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const faults: QueuedFault[] = [];
  const routes = options.routes.map((route) => ({ route, segments: splitPath(route.pattern) }));

  const listener = (request: IncomingMessage, response: ServerResponse) => serveOrReportBug(request, response);
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = options.tls ? 'https' : 'http';
  const origin = `${scheme}://${urlHostPart(options.urlHost)}:${(server.address() as AddressInfo).port}`;

  const serverNowMs = () => Date.now() + clockOffsetSeconds * 1000;
  const serverNow = () => Math.floor(serverNowMs() / 1000);

  /** The path inside pathPrefix, or undefined when the request is outside it. */
  function localPath(pathname: string): string | undefined {
    if (!prefix) return pathname;
    if (pathname === prefix) return '/';
    return pathname.startsWith(prefix + '/') ? pathname.slice(prefix.length) : undefined;
  }

  function matchRoute(method: string, path: string | undefined) {
    const segments = path === undefined ? undefined : splitPath(path);
    const atPath = routes.flatMap(({ route, segments: pattern }) => {
      const params = segments && matchSegments(pattern, segments);
      return params ? [{ route, params }] : [];
    });
    const matched = atPath.find(({ route }) => route.method === method);
    return { route: matched?.route, params: matched?.params ?? {}, allowedMethods: atPath.map((m) => m.route.method) };
  }

  function takeFault(method: string, path: string | undefined): ScriptedFault | undefined {
    if (path === undefined) return undefined;
    const segments = splitPath(path);
    const index = faults.findIndex((f) => f.method === method && matchSegments(f.segments, segments) !== undefined);
    return index === -1 ? undefined : faults.splice(index, 1)[0].fault;
  }

  function send(response: ServerResponse, reply: ScriptedResponse): void {
    const headers: Record<string, string> = { date: new Date(serverNowMs()).toUTCString(), ...options.headers() };
    let payload = '';
    // A 204 has no body: Node would drop it, and a Content-Type for it would be a lie.
    if (reply.body !== undefined && reply.status !== 204) {
      headers['content-type'] = options.contentType;
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
    const parsed = parseBody(await readBody(request), request.headers['content-type'], options.bodyFormat);
    const path = localPath(url.pathname);
    const matched = matchRoute(method, path);
    requests.push({
      method,
      path: rawPath,
      route: matched.route ? `${matched.route.method} ${matched.route.pattern}` : undefined,
      body: parsed.body,
      headers: request.headers,
    });
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const fault = takeFault(method, path);
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    send(
      response,
      fault ?? options.handle({ ...matched, ...parsed, query: url.searchParams, headers: request.headers }),
    );
  }

  function serveOrReportBug(request: IncomingMessage, response: ServerResponse): void {
    serve(request, response).catch((cause: unknown) => {
      // An emulator bug: answer loudly rather than leave the client hanging.
      if (response.headersSent) response.destroy();
      else send(response, options.emulatorError(cause));
    });
  }

  return {
    url: origin + prefix,
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
    close() {
      if (!server.listening) return Promise.resolve();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((cause) => (cause ? reject(cause) : resolve())));
    },
  };
}
