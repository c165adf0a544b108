// One attempt of a request through the toolkit's client, @actions/http-client (its proxy agents and
// conventions), for the services that are not GitHub. The attempt's signal is handed to Node's request through
// the client's handler hook, so a timeout or the deadline ends the socket, not only the wait; the body is read
// and decoded under the cap.
import { pipeline } from 'node:stream';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';

/** The toolkit's response message and request options, as its client hands them over. */
type IncomingMessage = HttpClientResponse['message'];
type RequestOptions = Parameters<RequestHandler['prepareRequest']>[0];
import { attemptFailure, attemptSignal, checkHeaders } from './attempt.js';
import { checkDeclaredLength, readCapped, tooLarge } from './body.js';
import { RequestProblem } from './failure.js';
import type { Deadline, Limits } from './limits.js';
import { chooseProxy, type ProxyChoice } from './proxy.js';
import { apiResponse, headerLookup, type ApiResponse } from './response.js';

export interface HttpRequest {
  /** Who is asked, for the log: "RingCentral". */
  service: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json (Vault's API), when there is no form. */
  json?: unknown;
}

function signalHandler(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest: (options: RequestOptions) => {
      options.signal = signal;
      // Through a proxy, the toolkit's tunnel agent sends the CONNECT by itself, from these options: it ends with
      // the attempt too, or a proxy that never answers would hold the connection (and the process) open.
      const tunnel = options.agent as { proxyOptions?: { signal?: AbortSignal } } | undefined;
      if (tunnel?.proxyOptions) tunnel.proxyOptions.signal = signal;
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported')),
  };
}

/** The body as sent, content codings undone, with the raw and the decoded bytes each under the cap. */
async function decodedBody(message: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const codings = String(message.headers['content-encoding'] ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity')
    .reverse();
  if (!codings.length) return readCapped(message, maxBytes);
  // Loaded only for the rare compressed answer (none is asked for), so a run does not pay for it.
  const { createBrotliDecompress, createUnzip } = await import('node:zlib');
  const decoders = codings.map((coding) => (coding === 'br' ? createBrotliDecompress() : createUnzip()));
  // The stream piped once (pipeline): piping it again as well would feed every byte to the decoders twice. A
  // failed decoding, or the raw bytes passing the cap, surfaces through the last stream, which readCapped reads.
  const last = pipeline([message, ...decoders], () => undefined) as unknown as AsyncIterable<Buffer>;
  let raw = 0;
  message.on('data', (chunk: Buffer) => {
    raw += chunk.byteLength;
    if (raw > maxBytes) message.destroy(tooLarge(maxBytes, 'as sent'));
  });
  return readCapped(last, maxBytes, 'once decompressed');
}

export interface WireRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** Decoded (content codings undone), at most the cap. */
  body: Buffer;
}

/**
 * Sends `wire` once through the toolkit's client; resolves with the answer, whatever its status, or rejects
 * with a RequestProblem. Both paths use it: octokit's fetch (fetch.ts) and the requests of other services.
 */
export async function sendOnce(wire: WireRequest, limits: Limits, deadline: Deadline): Promise<WireResponse> {
  const signal = attemptSignal(limits, deadline);
  let proxy: ProxyChoice | undefined;
  const client = new HttpClient('app-jwt-action', [signalHandler(signal)], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: true,
    // The attempt's own signal ends it first; this only keeps the client's default (3 min) out of the way.
    socketTimeout: limits.requestTimeoutMs + 1000,
  });
  try {
    proxy = chooseProxy(wire.url);
    checkHeaders(wire.headers);
    const response = await client.request(wire.method, wire.url.href, (wire.body ?? null) as string, wire.headers);
    const { message } = response;
    checkDeclaredLength(message.headers['content-length'], limits.maxBodyBytes);
    const body = await decodedBody(message, limits.maxBodyBytes);
    return { status: message.statusCode ?? 0, headers: message.headers, body };
  } catch (error) {
    throw new RequestProblem(attemptFailure(error, signal, { target: wire.url, proxy, limits, deadline }));
  } finally {
    client.dispose();
  }
}

/** A request of a service other than GitHub, once: form-encoded, answered as an ApiResponse. */
export async function sendThroughToolkit(
  request: HttpRequest,
  limits: Limits,
  deadline: Deadline,
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  } else if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  }
  const answer = await sendOnce({ method: request.method, url: new URL(request.url), headers, body }, limits, deadline);
  return apiResponse(answer.status, headerLookup(answer.headers), answer.body.toString('utf8'));
}
