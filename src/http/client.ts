// One attempt of a request through the toolkit's client, @actions/http-client (its proxy agents and
// conventions), for the services that are not GitHub. The attempt's signal is handed to Node's request through
// the client's handler hook, so a timeout or the deadline ends the socket, not only the wait; the body is read
// and decoded under the cap.
import type { IncomingMessage, RequestOptions } from 'node:http';
import { pipeline } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import { HttpClient } from '@actions/http-client';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import { attemptFailure, attemptSignal, checkHeaders } from './attempt.js';
import { checkDeclaredLength, readCapped } from './body.js';
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
}

function signalHandler(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest: (options: RequestOptions) => {
      options.signal = signal;
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported')),
  };
}

/** The body as sent, content codings undone, with the raw and the decoded bytes each under the cap. */
function decodedBody(message: IncomingMessage, maxBytes: number): Promise<Buffer> {
  let raw = 0;
  message.on('data', (chunk: Buffer) => {
    raw += chunk.byteLength;
    if (raw > maxBytes) message.destroy();
  });
  const codings = String(message.headers['content-encoding'] ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity')
    .reverse();
  const decoders = codings.map((coding) => (coding === 'br' ? createBrotliDecompress() : createUnzip()));
  if (!decoders.length) return readCapped(message, maxBytes);
  // A failed decoding surfaces through the last stream, which readCapped reads.
  const last = decoders.reduce<NodeJS.ReadableStream>((from, to) => from.pipe(to), message);
  pipeline([message, ...decoders], () => undefined);
  return readCapped(last as AsyncIterable<Buffer>, maxBytes, 'once decompressed');
}

/** Sends `request` once; resolves with the answer, whatever its status, or rejects with a RequestProblem. */
export async function sendThroughToolkit(
  request: HttpRequest,
  limits: Limits,
  deadline: Deadline,
): Promise<ApiResponse> {
  const target = new URL(request.url);
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
    proxy = chooseProxy(target);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    checkHeaders(headers);
    let body: string | null = null;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    const response = await client.request(request.method, target.href, body as string, headers);
    const { message } = response;
    checkDeclaredLength(message.headers['content-length'], limits.maxBodyBytes);
    const bytes = await decodedBody(message, limits.maxBodyBytes);
    return apiResponse(message.statusCode ?? 0, headerLookup(message.headers), bytes.toString('utf8'));
  } catch (error) {
    throw new RequestProblem(attemptFailure(error, signal, { target, proxy, limits, deadline }));
  } finally {
    client.dispose();
  }
}
