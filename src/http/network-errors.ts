// Node's network errors in the words of the person reading the job log: which host or proxy, what went wrong,
// what to do, and whether another attempt could help. Node's own messages are kept out where they could quote
// a proxy URL, and shortened to their first line elsewhere.
import type { Failure } from './failure.js';
import { describeProxy, type ProxyChoice } from './proxy.js';
import { formatDuration } from './retry-policy.js';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  hostname?: unknown;
  /** Node's ERR_PROXY_TUNNEL: the proxy's answer to CONNECT. */
  statusCode?: unknown;
  /** Node's ERR_PROXY_TUNNEL: set when the tunnel was not open in time. */
  proxyTunnelTimeout?: unknown;
}

// The code that explains a failure is on the innermost cause, or on the first of an AggregateError's errors
// (Node tries each address of a host and reports them all).
function rootCause(error: unknown): ErrorLike {
  let current = error as ErrorLike;
  for (let depth = 0; depth < 5 && current?.cause && typeof current.cause === 'object'; depth++)
    current = current.cause as ErrorLike;
  if (!current?.code && Array.isArray(current?.errors) && current.errors.length) return current.errors[0] as ErrorLike;
  return current ?? {};
}

const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT/;

/** An attempt that ran out of time; through a proxy, the proxy is named, as it is often the one to blame. */
export function timeoutFailure(timeoutMs: number, proxy: ProxyChoice | undefined): Failure {
  return {
    code: 'TIMEOUT',
    reason: `timed out after ${formatDuration(timeoutMs)}${proxy ? ` (through the proxy ${describeProxy(proxy)})` : ''}`,
    retryable: true,
  };
}

/** What went wrong with a request to `target` (through `proxy`) that failed with `error`. */
export function describeNetworkError(error: unknown, target: URL, proxy: ProxyChoice | undefined): Failure {
  const cause = rootCause(error);
  const message = typeof cause.message === 'string' ? cause.message.split('\n')[0].trim() : String(error);
  // The toolkit's tunnel agent reports every proxy it could not reach as ECONNRESET, the real code only in its
  // message ("…, cause=connect ECONNREFUSED 127.0.0.1:3128"); a cause without one is a proxy that hung up.
  const tunnelCause = /^tunneling socket could not be established, cause=(?:[a-z]+ )?(E[A-Z0-9_]+\b)?/.exec(message);
  const code = tunnelCause?.[1] ?? (typeof cause.code === 'string' ? cause.code : '');
  const where = proxy ? `the proxy ${describeProxy(proxy)}` : target.host;
  const proxyHint = proxy
    ? `If ${target.hostname} should be reached directly, add it to NO_PROXY; otherwise check ${proxy.variable}.`
    : undefined;
  // The proxy's answer to CONNECT, as Node, undici and the toolkit's tunnel agent each report it.
  const tunnelStatus = /Proxy response \((\d+)\)|tunneling socket could not be established, statusCode=(\d+)/.exec(
    message,
  );
  if (code === 'ERR_PROXY_TUNNEL' || tunnelStatus || (tunnelCause && !tunnelCause[1])) {
    const status =
      typeof cause.statusCode === 'number'
        ? cause.statusCode
        : tunnelStatus
          ? Number(tunnelStatus[1] ?? tunnelStatus[2])
          : undefined;
    if (status === 407)
      return {
        code: 'PROXY',
        reason: `${where} asks for credentials (HTTP 407 Proxy Authentication Required)`,
        hint: `Put them in ${proxy?.variable ?? 'the proxy variable'}: http://user:password@host:port (URL-encode special characters).`,
        retryable: false,
      };
    if (status !== undefined)
      return {
        code: 'PROXY',
        reason: `${where} refused to connect to ${target.host} (HTTP ${status})`,
        hint: proxyHint,
        retryable: status >= 500,
      };
    if (cause.proxyTunnelTimeout) return timeoutFailure(Number(cause.proxyTunnelTimeout), proxy);
    return {
      code: 'PROXY',
      reason: `${where} closed the connection before the tunnel to ${target.host} was open`,
      retryable: true,
    };
  }
  if (TLS_TRUST_CODES.test(code))
    return {
      code: 'TLS',
      reason: `the TLS certificate of ${target.host} is not trusted (${code}: ${message.replace(/;.*$/, '')})`,
      hint: "If the server uses a certificate from a private CA (common for GitHub Enterprise Server), set NODE_EXTRA_CA_CERTS to the CA's PEM file in the job's env.",
      retryable: false,
    };
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')
    return {
      code: 'TLS',
      reason: `the TLS handshake with ${target.host} failed (${code})`,
      hint: 'Check that the URL has the right scheme and port: does the server speak https there?',
      retryable: false,
    };
  switch (code) {
    case 'ECONNREFUSED':
      return {
        code,
        reason: `connection refused (ECONNREFUSED) by ${where}`,
        hint: proxyHint ?? 'Check the URL and that the server is up and reachable from the runner.',
        retryable: true,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN': {
      const host = typeof cause.hostname === 'string' ? cause.hostname : proxy ? proxy.url.hostname : target.hostname;
      return {
        code,
        reason: `the host name ${host} could not be resolved (${code})`,
        hint: `Check the ${proxy && host === proxy.url.hostname ? `proxy in ${proxy.variable}` : 'URL'} for typos, and the runner's DNS.`,
        retryable: true,
      };
    }
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return { code, reason: `the connection to ${where} was closed before an answer came (${code})`, retryable: true };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return {
        code,
        reason: `connecting to ${where} timed out (${code})`,
        hint: proxyHint ?? 'Check that the runner can reach the server (firewall, HTTPS_PROXY).',
        retryable: true,
      };
    default:
      return { code: code || 'NETWORK', reason: code ? `${message} (${code})` : message, retryable: true };
  }
}
