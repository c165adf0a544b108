// What the HTTP client's tests share: local servers that answer as told and record what they received, a
// client that records its waits instead of sleeping, and cleanup. A test file registers `afterEach(closeAll)`.
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import {
  createHttpClient,
  HttpError,
  type HttpClient,
  type HttpClientOptions,
  type RetryInfo,
} from '../../src/http.js';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: unknown;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
  /** Never answer. */
  hang?: boolean;
}

export interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const running: Array<{ close(): Promise<void> }> = [];

/** Closes `closable` after the test. */
export function closeAfterTest(closable: { close(): Promise<void> }): void {
  running.push(closable);
}

export async function closeAll(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.close()));
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Listens on a free loopback port, closed after the test. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest({ close: () => closeServer(server) });
  return (server.address() as AddressInfo).port;
}

/** Answers the n-th request with replies[n] (the last reply repeats). */
export async function startServer(...replies: Reply[]): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)] ?? {};
      if (reply.destroy) return void req.socket.destroy();
      if (reply.hang) return;
      const body =
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const headers: OutgoingHttpHeaders = {
        ...(typeof reply.body === 'object' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...reply.headers,
      };
      res.writeHead(reply.status ?? 200, headers).end(body);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, received, close: () => closeServer(server) };
}

/** An https server with the self-signed test certificate, which the client does not trust; returns its port. */
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

export interface Harness {
  http: HttpClient;
  delays: number[];
  retries: RetryInfo[];
}

/** A client that records its waits instead of sleeping, with no proxy unless `env` says so. */
export function client(options: HttpClientOptions = {}): Harness {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const http = createHttpClient({
    env: {},
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRetry: (info) => retries.push(info),
    ...options,
  });
  closeAfterTest(http);
  return { http, delays, retries };
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

export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const HTTP_DATE = 'Wed, 25 Nov 2026 12:00:00 GMT';
export const HTTP_DATE_MS = Date.parse(HTTP_DATE);
