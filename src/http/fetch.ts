// The fetch octokit sends GitHub requests with: each call is one attempt through the toolkit's client
// (@actions/http-client: its proxy agents, node:http underneath), under the attempt's timeout and the step's
// deadline, with the body read under the cap. Every failure leaves as a RequestProblem, which octokit keeps as
// its RequestError's cause for the retry hook.
import { checkHeaders } from './attempt.js';
import { sendOnce } from './client.js';
import { RequestProblem } from './failure.js';
import type { Deadline, Limits } from './limits.js';

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

export function createBoundedFetch(limits: Limits, deadline: Deadline): typeof fetch {
  const bounded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    // Checked as given: Headers would trim a trailing newline off silently, and quote a value with an inner one
    // in its error.
    const given = init.headers ?? {};
    checkHeaders(
      given instanceof Headers || Array.isArray(given)
        ? Object.fromEntries(given as Iterable<[string, string]>)
        : (given as Record<string, string>),
    );
    const headers = Object.fromEntries(new Headers(given));
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
      throw new TypeError('the GitHub client sent a body that is not text');
    const answer = await sendOnce(
      { method: init.method ?? 'GET', url, headers, body: init.body ?? undefined },
      limits,
      deadline,
    );
    // A status fetch's Response cannot carry (1xx, or past 599) is no API answer.
    if (answer.status < 200 || answer.status > 599)
      throw new RequestProblem({
        code: 'BAD_STATUS',
        reason: `the server answered with status ${answer.status}, which no HTTP API answers with`,
        hint: 'Check the URL: is it the GitHub REST API?',
        retryable: false,
      });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      // The body is already decoded: its coding and length no longer describe it.
      if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
    }
    return new Response(NULL_BODY_STATUS.has(answer.status) ? null : answer.body, {
      status: answer.status,
      headers: responseHeaders,
    });
  };
  return bounded as typeof fetch;
}
