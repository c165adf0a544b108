// A request as the callers write it, and the method, headers and body it becomes on the wire. Everything that
// would make the request unsendable or unsafe to send is refused here, before the first attempt: no retry
// could fix it, and a message about it must not quote the secret that caused it.
import { RequestProblem } from './http-failure.js';

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

export interface WireRequest {
  target: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
}

function refuse(reason: string, hint?: string): RequestProblem {
  return new RequestProblem({ code: 'INVALID_REQUEST', reason, hint, retryable: false });
}

/** The request to `target` as it will be sent; throws a RequestProblem (INVALID_REQUEST) for one it will not. */
export function encodeRequest(request: HttpRequest, target: URL, userAgent: string): WireRequest {
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw refuse(`${target.protocol} URLs are not supported`);
  if (target.username || target.password)
    throw refuse('the URL holds a user name or password', 'Send credentials in a header, never in the URL.');
  if (request.json !== undefined && request.form !== undefined)
    throw refuse('the request has both a JSON and a form body');
  const method = request.method.toUpperCase();
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': userAgent };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    // Node's own error would not say what to do about it; fetch's quoted the value, which is often a token.
    if (/[\r\n\0]/.test(value) || value !== value.trim())
      throw refuse(
        `the value of header '${name}' has a line break, a control character or surrounding whitespace`,
        'If it comes from a secret, store the secret without a trailing newline or spaces.',
      );
    headers[name.toLowerCase()] = value;
  }
  // As fetch does: a body's length, and 0 for a POST or PUT without one.
  if (!('content-length' in headers) && (body !== undefined || method === 'POST' || method === 'PUT'))
    headers['content-length'] = String(Buffer.byteLength(body ?? ''));
  return { target, method, headers, body };
}
