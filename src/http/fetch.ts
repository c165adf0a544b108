// The fetch octokit sends GitHub requests with: undici's fetch through the toolkit's proxy dispatcher for the API
// base (as @actions/github's own, but for github-api-url rather than GITHUB_API_URL), one attempt under its
// timeout and the step's deadline, and a body read under the cap. Every failure leaves as a RequestProblem, which
// octokit keeps as its RequestError's cause for the retry hook.
import { HttpClient } from '@actions/http-client';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { attemptFailure, attemptSignal, checkHeaders } from './attempt.js';
import { checkDeclaredLength, readCapped } from './body.js';
import { RequestProblem } from './failure.js';
import type { Deadline, Limits } from './limits.js';
import { chooseProxy, type ProxyChoice } from './proxy.js';

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

export function createBoundedFetch(baseUrl: string, limits: Limits, deadline: Deadline): typeof fetch {
  let route: { proxy: ProxyChoice | undefined; dispatcher: Dispatcher | undefined } | undefined;
  const routeFor = (base: URL) => {
    if (route) return route;
    const proxy = chooseProxy(base);
    const dispatcher = proxy
      ? new HttpClient('app-jwt-action', [], { keepAlive: true }).getAgentDispatcher(base.href)
      : undefined;
    route = { proxy, dispatcher };
    return route;
  };
  const bounded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const signal = attemptSignal(limits, deadline);
    let proxy: ProxyChoice | undefined;
    try {
      const chosen = routeFor(new URL(baseUrl));
      proxy = chosen.proxy;
      checkHeaders(Object.fromEntries(new Headers(init.headers)));
      const response = await undiciFetch(target, {
        ...(init as object),
        signal: init.signal ? AbortSignal.any([signal, init.signal]) : signal,
        dispatcher: chosen.dispatcher,
      });
      checkDeclaredLength(response.headers.get('content-length'), limits.maxBodyBytes);
      const bytes = await readCapped(response.body, limits.maxBodyBytes);
      const headers = new Headers(response.headers as unknown as Headers);
      // The body is already decoded: its coding and length no longer describe it.
      headers.delete('content-encoding');
      headers.delete('content-length');
      return new Response(NULL_BODY_STATUS.has(response.status) ? null : bytes, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    } catch (error) {
      throw new RequestProblem(attemptFailure(error, signal, { target, proxy, limits, deadline }));
    }
  };
  return bounded as typeof fetch;
}
