// One attempt at a request, under one deadline that covers connecting, any proxy tunnel, sending, and reading
// the whole body: a server that stops halfway through an answer is as stuck as one that never answers.
// Whether to try again is the retry loop's business (http.ts); this says only what happened.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestProblem } from './http-failure.js';
import type { WireRequest } from './http-request.js';
import { toHttpResponse, type HttpResponse } from './http-response.js';
import { describeNetworkError, timeoutFailure } from './network-errors.js';
import type { AgentPool, ProxyChoice } from './proxy.js';

export interface AttemptOptions {
  agents: AgentPool;
  proxy: ProxyChoice | undefined;
  timeoutMs: number;
}

/** Sends `wire` once: resolves with the answer, whatever its status, or rejects with a RequestProblem. */
export function sendOnce(wire: WireRequest, { agents, proxy, timeoutMs }: AttemptOptions): Promise<HttpResponse> {
  const { target, method } = wire;
  return new Promise<HttpResponse>((resolve, reject) => {
    let req: ClientRequest | undefined;
    let settled = false;
    const settle = (error: unknown, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (response) resolve(response);
      else if (error instanceof RequestProblem) reject(error);
      else reject(new RequestProblem(describeNetworkError(error, target, proxy)));
    };
    const timer = setTimeout(() => {
      settle(new RequestProblem(timeoutFailure(timeoutMs, proxy)));
      req?.destroy();
    }, timeoutMs);

    try {
      const agent = agents.agentFor(target, proxy);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      // timeout also bounds the setting up of a CONNECT tunnel, which the request cannot cancel before it has
      // its socket; its own 'timeout' events are left unheard.
      req = send(target, { method, headers: wire.headers, agent, timeout: timeoutMs });
    } catch (error) {
      // Node refused the request before sending it (a method or header it cannot send): no retry can help.
      settle(
        error instanceof RequestProblem
          ? error
          : new RequestProblem({
              code: 'INVALID_REQUEST',
              reason: error instanceof Error ? error.message : String(error),
              retryable: false,
            }),
      );
      return;
    }
    req.on('error', (error) => settle(error));
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode === 407 && proxy && target.protocol === 'http:') {
        // The proxy's answer, not the server's: an http URL goes to an http proxy as an absolute-URI request.
        res.resume();
        settle(
          Object.assign(new Error('Proxy Authentication Required'), { code: 'ERR_PROXY_TUNNEL', statusCode: 407 }),
        );
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => settle(error));
      res.on('close', () => {
        if (!res.complete) settle(Object.assign(new Error('the response ended early'), { code: 'ECONNRESET' }));
      });
      res.on('end', () =>
        toHttpResponse(res, Buffer.concat(chunks)).then(
          (response) => settle(undefined, response),
          (error: unknown) => settle(error),
        ),
      );
    });
    req.end(wire.body);
  });
}
