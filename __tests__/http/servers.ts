// What the HTTP layer's tests share: local servers that answer as told (or misbehave as told) over real sockets
// and record what they received, a transport that records its waits instead of sleeping, process.env proxy
// settings restored after each test, and cleanup. A test file registers `afterEach(closeAll)`.
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { HttpError, RequestProblem, type Failure } from '../../src/http/failure.js';
import type { Limits } from '../../src/http/limits.js';
import { apiResponse } from '../../src/http/response.js';
import type { ApiResponse } from '../../src/http/response.js';
import type { RetryInfo, RetryOptions } from '../../src/http/retry.js';
import { createTransport, type Transport } from '../../src/http/transport.js';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status?: number;
  headers?: OutgoingHttpHeaders;
  /** A string is sent as is; anything else as JSON with a JSON content type. */
  body?: unknown;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
  /** Never answer. */
  hang?: boolean;
}

export interface TestServer {
  url: string;
  port: number;
  received: Received[];
}

const running: Array<() => Promise<void>> = [];

/** Runs `close` after the test. */
export function closeAfterTest(close: () => Promise<void>): void {
  running.push(close);
}

export async function closeAll(): Promise<void> {
  await Promise.all(running.splice(0).map((close) => close()));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Listens on a free loopback port, closed after the test; returns the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest(() => closeServer(server));
  return (server.address() as AddressInfo).port;
}

/** A server that runs `handler` for each request (after recording it), on a free loopback port. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const received: Received[] = [];
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(req, res);
    });
  };
  const port = await listen(createServer(listener));
  return { url: `http://127.0.0.1:${port}`, port, received };
}

/** Answers the n-th request with replies[n] (the last reply repeats). */
export function startServer(...replies: Reply[]): Promise<TestServer> {
  let count = 0;
  return serve((req, res) => {
    const reply = replies[Math.min(count++, replies.length - 1)] ?? {};
    if (reply.destroy) return void req.socket.destroy();
    if (reply.hang) return;
    const body =
      reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const headers: OutgoingHttpHeaders = {
      ...(reply.body !== undefined && typeof reply.body !== 'string'
        ? { 'content-type': 'application/json; charset=utf-8' }
        : {}),
      ...reply.headers,
    };
    res.writeHead(reply.status ?? 200, headers).end(body);
  });
}

export interface Stream {
  /** Bytes the server got written into the socket before it closed. */
  written: number;
  /** Whether the client closed the connection. */
  closed: boolean;
}

/**
 * Writes `chunk` again and again as a chunked body, waiting for the socket to drain each time (so `written`
 * counts what the client could have read), until `limit` bytes or the client closes the connection.
 */
export function streamEndlessly(res: ServerResponse, chunk: Buffer, limit: number, stream: Stream): void {
  res.socket?.on('close', () => (stream.closed = true));
  const next = (): void => {
    while (!stream.closed && stream.written < limit) {
      stream.written += chunk.byteLength;
      if (!res.write(chunk)) return void res.once('drain', next);
    }
    if (!stream.closed) res.end();
  };
  next();
}

/** An https server with the self-signed test certificate, which no client trusts; returns its port. */
export function startUntrustedTlsServer(): Promise<number> {
  const server = createHttpsServer(
    { key: readFileSync('test/fixtures/app-key.pem'), cert: readFileSync('test/fixtures/certificate.pem') },
    (_req, res) => res.end('{}'),
  );
  return listen(server);
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that runs `onConnection` for each socket it accepts, and records them; closed after the test. */
export async function startTcpServer(
  onConnection: (socket: Socket) => void,
): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, sockets };
}

export interface Harness {
  transport: Transport;
  delays: number[];
  retries: RetryInfo[];
}

/** A transport that records its waits instead of sleeping and its retries, with half of each backoff's ceiling. */
export function harness(options: { limits?: Partial<Limits>; retry?: Partial<RetryOptions> } = {}): Harness {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const transport = createTransport({
    limits: options.limits,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
      onRetry: (info) => retries.push(info),
      ...options.retry,
    },
  });
  return { transport, delays, retries };
}

/** A GET through the transport's bounded fetch (the octokit path), retried by the transport's loop. */
export async function fetchWithRetries(transport: Transport, url: string): Promise<ApiResponse> {
  const label = { service: 'GitHub', method: 'GET', url, secrets: [] };
  const sent = await transport.retrying(label, async () => {
    const response = await transport.fetch(url);
    return { response: apiResponse(response.status, response.headers, await response.text()), value: null };
  });
  return sent.response;
}

export async function errorOf(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('no error');
}

/** The Failure one attempt of the bounded fetch rejected with. */
export async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestProblem) return error.failure;
    throw error;
  }
  throw new Error('no error');
}

export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];

/**
 * The toolkit reads its proxy settings from process.env: this clears them for the test, sets `values`, and
 * registers their restoring after the test.
 */
export function setProxyEnv(values: Record<string, string> = {}): void {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  closeAfterTest(async () => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });
}

export const HTTP_DATE = 'Wed, 25 Nov 2026 12:00:00 GMT';
export const HTTP_DATE_MS = Date.parse(HTTP_DATE);
export const MiB = 1024 * 1024;
