export const id = 817;
export const ids = [817];
export const modules = {

/***/ 2398:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   ZW: () => (/* binding */ RequestProblem),
/* harmony export */   j$: () => (/* binding */ HttpError)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
// The words the HTTP layer uses to say why a request got no usable answer. A part that finds a Failure throws
// it as a RequestProblem; the retry loop, which knows the attempts made, turns the last one into an HttpError.

/** A Failure thrown, so that it can leave a callback, a Promise or a library on its way to the retry loop. */
class RequestProblem extends Error {
    failure;
    constructor(failure) {
        super(failure.reason);
        this.failure = failure;
    }
}
/** A request that could not get a usable answer. The message never holds headers or bodies. */
class HttpError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ {
    method;
    url;
    attempts;
    code;
    constructor(init) {
        const { method, url, attempts, failure } = init;
        const outcome = attempts === 0 ? 'was not sent' : `failed after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}`;
        super(`${method} ${url} ${outcome}: ${failure.reason}.${failure.hint ? ` ${failure.hint}` : ''}`);
        this.method = method;
        this.url = url;
        this.attempts = attempts;
        this.code = failure.code;
    }
}
/**
 * Library messages can quote what was sent: every secret a request carries is taken out of them, whole and word
 * by word ("Bearer <token>"); short words would blot out ordinary text.
 */
function redact(text, secrets) {
    const values = secrets
        .flatMap((v) => [v, ...v.split(/\s+/)])
        .filter((v) => v.length >= 6)
        .sort((a, b) => b.length - a.length);
    return values.reduce((out, value) => out.split(value).join('***'), text);
}


/***/ }),

/***/ 3938:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ limitsFromEnv),
/* harmony export */   dR: () => (/* binding */ DEFAULT_LIMITS),
/* harmony export */   dU: () => (/* binding */ createDeadline)
/* harmony export */ });
/* unused harmony export DeadlineReached */
/* harmony import */ var _retry_policy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7593);
// The bounds every request of a step lives under: a cap on each response body, a timeout per attempt, and one
// deadline for the whole step that every request, retry and wait shares.

const DEFAULT_LIMITS = { maxBodyBytes: 1024 * 1024, requestTimeoutMs: 10_000, deadlineMs: 120_000 };
/** The limits, with the step deadline from APP_JWT_DEADLINE_SECONDS when set (for slow networks and tests). */
function limitsFromEnv(env) {
    const seconds = Number(env.APP_JWT_DEADLINE_SECONDS);
    return Number.isFinite(seconds) && seconds > 0 ? { ...DEFAULT_LIMITS, deadlineMs: seconds * 1000 } : DEFAULT_LIMITS;
}
function createDeadline(totalMs, now = Date.now) {
    const end = now() + totalMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineReached()), totalMs);
    // The deadline never keeps the process alive by itself.
    timer.unref();
    return {
        signal: controller.signal,
        totalMs,
        remainingMs: () => Math.max(0, end - now()),
        describe: () => `the step's deadline (${(0,_retry_policy_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(totalMs)} for all requests, retries and waits)`,
    };
}
/** The abort reason of a passed deadline, told apart from an attempt's own timeout. */
class DeadlineReached extends Error {
    constructor() {
        super('deadline reached');
        this.name = 'DeadlineReached';
    }
}


/***/ }),

/***/ 8360:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ timeoutFailure),
/* harmony export */   g: () => (/* binding */ describeNetworkError)
/* harmony export */ });
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7856);
/* harmony import */ var _retry_policy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7593);


// The code that explains a failure is on the innermost cause, or on the first of an AggregateError's errors
// (Node tries each address of a host and reports them all).
function rootCause(error) {
    let current = error;
    for (let depth = 0; depth < 5 && current?.cause && typeof current.cause === 'object'; depth++)
        current = current.cause;
    if (!current?.code && Array.isArray(current?.errors) && current.errors.length)
        return current.errors[0];
    return current ?? {};
}
const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT/;
/** An attempt that ran out of time; through a proxy, the proxy is named, as it is often the one to blame. */
function timeoutFailure(timeoutMs, proxy) {
    return {
        code: 'TIMEOUT',
        reason: `timed out after ${(0,_retry_policy_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(timeoutMs)}${proxy ? ` (through the proxy ${(0,_proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .describeProxy */ .G)(proxy)})` : ''}`,
        retryable: true,
    };
}
/** What went wrong with a request to `target` (through `proxy`) that failed with `error`. */
function describeNetworkError(error, target, proxy) {
    const cause = rootCause(error);
    const message = typeof cause.message === 'string' ? cause.message.split('\n')[0].trim() : String(error);
    // The toolkit's tunnel agent reports every proxy it could not reach as ECONNRESET, the real code only in its
    // message ("…, cause=connect ECONNREFUSED 127.0.0.1:3128"); a cause without one is a proxy that hung up.
    const tunnelCause = /^tunneling socket could not be established, cause=(?:[a-z]+ )?(E[A-Z0-9_]+\b)?/.exec(message);
    const code = tunnelCause?.[1] ?? (typeof cause.code === 'string' ? cause.code : '');
    const where = proxy ? `the proxy ${(0,_proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .describeProxy */ .G)(proxy)}` : target.host;
    const proxyHint = proxy
        ? `If ${target.hostname} should be reached directly, add it to NO_PROXY; otherwise check ${proxy.variable}.`
        : undefined;
    // The proxy's answer to CONNECT, as Node, undici and the toolkit's tunnel agent each report it.
    const tunnelStatus = /Proxy response \((\d+)\)|tunneling socket could not be established, statusCode=(\d+)/.exec(message);
    if (code === 'ERR_PROXY_TUNNEL' || tunnelStatus || (tunnelCause && !tunnelCause[1])) {
        const status = typeof cause.statusCode === 'number'
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
        if (cause.proxyTunnelTimeout)
            return timeoutFailure(Number(cause.proxyTunnelTimeout), proxy);
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


/***/ }),

/***/ 7856:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ describeProxy),
/* harmony export */   U: () => (/* binding */ chooseProxy)
/* harmony export */ });
/* harmony import */ var _actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9783);
/* harmony import */ var _failure_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2398);
// Which proxy a request goes through is the toolkit's decision (@actions/http-client: https_proxy/HTTPS_PROXY for
// https URLs, http_proxy/HTTP_PROXY for http ones, no_proxy/NO_PROXY, loopback always direct), so a workflow
// that works for other actions works here too. What is added here: a proxy setting the toolkit cannot use
// (SOCKS, not a URL) fails the request before it is sent, in words that never quote the value. Going direct
// instead could leak the request past a proxy the workflow's author relies on.


/** The proxy as it may be shown: scheme, host and port, never the credentials. */
function describeProxy(proxy) {
    return `${proxy.url.protocol}//${proxy.url.host}`;
}
function settingProblem(reason, hint) {
    return new _failure_js__WEBPACK_IMPORTED_MODULE_1__/* .RequestProblem */ .ZW({ code: 'PROXY', reason, hint, retryable: false, notSent: true });
}
/**
 * The proxy the toolkit will use for `target`, or undefined to connect directly; throws for an unusable one. The
 * toolkit reads process.env (and so does this): there is no other environment to hand it.
 */
function chooseProxy(target) {
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const variable = names.find((name) => process.env[name]);
    if (!variable || (0,_actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_0__/* .checkBypass */ .H)(target))
        return undefined;
    const unusable = settingProblem(`${variable} is set but is not a proxy URL this action can use`, 'Set it like http://proxy.example.com:3128 (or http://user:password@proxy.example.com:3128), or unset it.');
    let url;
    try {
        url = (0,_actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_0__/* .getProxyUrl */ .s)(target);
    }
    catch {
        throw unusable;
    }
    // The toolkit reads a value that starts with http:// but does not parse as no proxy at all, and goes direct.
    if (!url)
        throw unusable;
    if (/^socks[a-z0-9]*:$/.test(url.protocol))
        throw settingProblem(`${variable} is a SOCKS proxy (${url.protocol}//${url.host}), and SOCKS proxies are not supported`, `Use an HTTP(S) proxy URL (e.g. http://proxy:3128), or add ${target.hostname} to NO_PROXY.`);
    if (!['http:', 'https:'].includes(url.protocol) || !url.hostname)
        throw unusable;
    return { variable, url };
}


/***/ }),

/***/ 8621:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tn: () => (/* binding */ serverText),
/* harmony export */   _U: () => (/* binding */ parseDate),
/* harmony export */   aI: () => (/* binding */ apiResponse),
/* harmony export */   uD: () => (/* binding */ headerLookup)
/* harmony export */ });
/* unused harmony export parseBody */
// An answer as the providers see it, whichever client fetched it: the status, headers to look up, and the body
// decoded and, when the server says it is JSON, parsed. Providers switch on the status and read fields.
/** Headers from a record of the shapes Node and octokit use; repeated ones joined with ', ', as fetch does. */
function headerLookup(headers) {
    const lower = new Map();
    for (const [name, value] of Object.entries(headers))
        if (value !== undefined)
            lower.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}
/**
 * Text from a server (or a library quoting one) as a message may show it: one line, no control characters,
 * whitespace runs as one space, at most `max` characters with '…' at the cut. Not a string: ''.
 */
function serverText(value, max = 300) {
    if (typeof value !== 'string')
        return '';
    // \p{Cc}: U+0000-U+001F and U+007F-U+009F, CR, LF and NEL among them.
    const line = value
        .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
// application/json, and the +json types such as GitHub's application/vnd.github+json.
function isJsonType(contentType) {
    return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType?.trim() ?? '');
}
/**
 * A body that says it is JSON but does not parse (cut short, or an error page with the wrong type) stays text:
 * the caller explains the status, and a parse error would hide it.
 */
function parseBody(text, contentType) {
    if (!text || !isJsonType(contentType))
        return text;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function parseDate(value) {
    if (!value)
        return undefined;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
}
/** The answer from its status, headers and body text. */
function apiResponse(status, headers, text) {
    return {
        status,
        headers,
        body: parseBody(text, headers.get('content-type')),
        date: parseDate(headers.get('date')),
    };
}


/***/ }),

/***/ 7593:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CS: () => (/* binding */ waitTooLong),
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   yD: () => (/* binding */ retryVerdict),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* unused harmony exports parseRetryAfter, SECONDARY_RATE_LIMIT_WAIT_MS */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How a wait or a timeout reads in the log: "300 ms", "7 s", "50 min", "30 h", "12 days". */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 120_000)
        return `${Math.round(ms / 100) / 10} s`;
    if (ms < 2 * HOUR)
        return `${Math.ceil(ms / 60_000)} min`;
    if (ms < 2 * DAY)
        return `${Math.ceil(ms / HOUR)} h`;
    // A hostile Retry-After can ask for anything, up to Infinity: it still reads as words.
    if (ms < 1000 * DAY)
        return `${Math.ceil(ms / DAY)} days`;
    return 'more than 1000 days';
}
/** "512 KiB", "1 MiB": a size for messages. */
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${Math.round(bytes / 1024)} KiB`;
    return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
/** A wait's end for messages; a wait too long for a Date (a hostile header) is told as such. */
function isoOrFar(ms) {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? 'a time too far ahead to show' : date.toISOString();
}
/** Retry-After as a wait in ms: delta-seconds or an HTTP date (against the server's clock when known). */
function parseRetryAfter(value, serverNow) {
    if (value === null)
        return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    // Every HTTP date form starts with the day's name; Date.parse alone would take "-5" or "1.5" for dates in 2001.
    if (!/^[a-z]{3,9},? /i.test(text))
        return undefined;
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : Math.max(0, at - serverNow);
}
/** GitHub waits a secondary rate limit without Retry-After out for "at least one minute". */
const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000;
function bodyMessage(body) {
    if (typeof body === 'string')
        return body;
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string')
        return body.message;
    return '';
}
/**
 * Whether a response is worth another attempt (undefined: it is the answer), and how long the server wants
 * us to wait first. `maxWaitMs` caps only a wait of our own choosing: one the server asks for is the server's.
 */
function retryVerdict(response, now, maxWaitMs) {
    const { status, headers } = response;
    const serverNow = response.date?.getTime() ?? now;
    const retryAfter = parseRetryAfter(headers.get('retry-after'), serverNow);
    const label = `HTTP ${status}`;
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
    if ((status === 403 || status === 429) && remaining?.trim() === '0' && Number.isFinite(reset) && reset > 0) {
        const until = reset * 1000;
        const summary = `${label}, rate limit used up until ${isoOrFar(until)} (x-ratelimit-remaining: 0)`;
        return { reason: summary, summary, waitMs: Math.max(retryAfter ?? 0, until - serverNow, 0), until };
    }
    const verdict = (summary, waitMs, asked = retryAfter !== undefined) => ({
        reason: asked && waitMs !== undefined ? `${summary}, Retry-After ${formatDuration(waitMs)}` : summary,
        summary,
        ...(waitMs === undefined ? {} : { waitMs, until: now + waitMs }),
    });
    if (status === 429)
        return verdict(`${label} Too Many Requests`, retryAfter);
    if (status === 403 && retryAfter !== undefined)
        return verdict(`${label}, secondary rate limit`, retryAfter);
    if (status === 403 && /secondary rate limit|abuse detection/i.test(bodyMessage(response.body)))
        return verdict(`${label}, secondary rate limit (no Retry-After)`, Math.min(SECONDARY_RATE_LIMIT_WAIT_MS, maxWaitMs), false);
    if (status >= 500 && status <= 599)
        return verdict(label, retryAfter);
    return undefined;
}
/** The failure to report when the server asks for a wait longer than `maxWaitMs`; undefined when it does not. */
function waitTooLong(verdict, maxWaitMs) {
    if (verdict.waitMs === undefined || verdict.waitMs <= maxWaitMs)
        return undefined;
    return {
        code: 'RETRY_AFTER_TOO_LONG',
        reason: `${verdict.summary}; the server asks to wait ${formatDuration(verdict.waitMs)}, longer than the ${formatDuration(maxWaitMs)} this action waits`,
        hint: verdict.until !== undefined ? `Run the job again after ${isoOrFar(verdict.until)}.` : undefined,
    };
}
/** Full jitter: a random wait between 0 and base·2^(retry−1), capped. `retry` counts from 1. */
function backoffDelay(retry, baseDelayMs, capMs, random) {
    const ceiling = Math.min(capMs, baseDelayMs * 2 ** (retry - 1));
    return Math.round(Math.min(Math.max(random(), 0), 1) * ceiling);
}


/***/ }),

/***/ 8817:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createTransport: () => (/* binding */ createTransport)
});

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js
var lib = __webpack_require__(2779);
// EXTERNAL MODULE: ./src/http/failure.ts
var http_failure = __webpack_require__(2398);
// EXTERNAL MODULE: ./src/http/network-errors.ts
var network_errors = __webpack_require__(8360);
;// CONCATENATED MODULE: ./src/http/attempt.ts
// What one attempt shares across both clients: the signal that ends it (its own timeout or the step's
// deadline), the headers it refuses to send, and how its failure reads.


/** Aborts when the attempt's timeout or the step's deadline passes, whichever comes first. */
function attemptSignal(limits, deadline) {
    return AbortSignal.any([deadline.signal, AbortSignal.timeout(limits.requestTimeoutMs)]);
}
/**
 * Refuses a header value that Node would refuse (or worse, quote in its error): line breaks, control
 * characters, surrounding whitespace. Such a value usually comes from a secret stored with a trailing newline.
 */
function checkHeaders(headers) {
    for (const [name, value] of Object.entries(headers))
        if (/[\r\n\0]/.test(value) || value !== value.trim())
            throw new http_failure/* RequestProblem */.ZW({
                code: 'INVALID_REQUEST',
                reason: `the value of header '${name}' has a line break, a control character or surrounding whitespace`,
                hint: 'If it comes from a secret, store the secret without a trailing newline or spaces.',
                retryable: false,
                notSent: true,
            });
}
/** Why the attempt failed, in the words of network-errors.ts; a passed deadline is never retried. */
function attemptFailure(error, signal, context) {
    if (error instanceof http_failure/* RequestProblem */.ZW)
        return error.failure;
    if (context.deadline.signal.aborted)
        return {
            code: 'DEADLINE',
            reason: `no complete answer came before ${context.deadline.describe()} passed`,
            hint: 'The server or the network is too slow; run the job again later.',
            retryable: false,
        };
    if (signal.aborted)
        return (0,network_errors/* timeoutFailure */._)(context.limits.requestTimeoutMs, context.proxy);
    return (0,network_errors/* describeNetworkError */.g)(error, context.target, context.proxy);
}

// EXTERNAL MODULE: ./src/http/retry-policy.ts
var retry_policy = __webpack_require__(7593);
;// CONCATENATED MODULE: ./src/http/body.ts
// Reading a response body under a cap, so that no answer can take more than a few MB of memory, however big it
// says it is, or becomes once decompressed.


/** The failure of a body over the cap; `what` says which count passed it ("once decompressed"). */
function tooLarge(maxBytes, what = '') {
    return new http_failure/* RequestProblem */.ZW({
        code: 'TOO_LARGE',
        reason: `the response body${what ? ` ${what}` : ''} is larger than the ${(0,retry_policy/* formatBytes */.z3)(maxBytes)} this action reads`,
        hint: 'The server is not answering like the API it should be: check the URL.',
        retryable: false,
    });
}
/** Fails at once when a Content-Length already says the body is over the cap. */
function checkDeclaredLength(contentLength, maxBytes) {
    const declared = Number(contentLength ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes)
        throw tooLarge(maxBytes, `(Content-Length ${declared})`);
}
/** Every chunk of `stream`, joined, or a RequestProblem (TOO_LARGE) as soon as they pass `maxBytes`. */
async function readCapped(stream, maxBytes, what = '') {
    const chunks = [];
    let size = 0;
    if (!stream)
        return Buffer.alloc(0);
    for await (const chunk of stream) {
        size += chunk.byteLength;
        // Leaving the loop ends the stream: the rest of the body is never read.
        if (size > maxBytes)
            throw tooLarge(maxBytes, what);
        chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
}

// EXTERNAL MODULE: ./src/http/proxy.ts
var http_proxy = __webpack_require__(7856);
// EXTERNAL MODULE: ./src/http/response.ts
var response = __webpack_require__(8621);
;// CONCATENATED MODULE: ./src/http/client.ts
// One attempt of a request through the toolkit's client, @actions/http-client (its proxy agents and
// conventions), for the services that are not GitHub. The attempt's signal is handed to Node's request through
// the client's handler hook, so a timeout or the deadline ends the socket, not only the wait; the body is read
// and decoded under the cap.







function signalHandler(signal) {
    return {
        prepareRequest: (options) => {
            options.signal = signal;
            // Through a proxy, the toolkit's tunnel agent sends the CONNECT by itself, from these options: it ends with
            // the attempt too, or a proxy that never answers would hold the connection (and the process) open.
            const tunnel = options.agent;
            if (tunnel?.proxyOptions)
                tunnel.proxyOptions.signal = signal;
        },
        canHandleAuthentication: () => false,
        handleAuthentication: () => Promise.reject(new Error('not supported')),
    };
}
/** The body as sent, content codings undone, with the raw and the decoded bytes each under the cap. */
async function decodedBody(message, maxBytes) {
    const codings = String(message.headers['content-encoding'] ?? '')
        .toLowerCase()
        .split(',')
        .map((coding) => coding.trim())
        .filter((coding) => coding && coding !== 'identity')
        .reverse();
    if (!codings.length)
        return readCapped(message, maxBytes);
    // Loaded only for the rare compressed answer (none is asked for), so a run does not pay for it.
    const { createBrotliDecompress, createUnzip } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 8522, 23));
    const decoders = codings.map((coding) => (coding === 'br' ? createBrotliDecompress() : createUnzip()));
    // The stream piped once (pipeline): piping it again as well would feed every byte to the decoders twice. A
    // failed decoding, or the raw bytes passing the cap, surfaces through the last stream, which readCapped reads.
    const last = (0,external_node_stream_.pipeline)([message, ...decoders], () => undefined);
    let raw = 0;
    message.on('data', (chunk) => {
        raw += chunk.byteLength;
        if (raw > maxBytes)
            message.destroy(tooLarge(maxBytes, 'as sent'));
    });
    return readCapped(last, maxBytes, 'once decompressed');
}
/**
 * Sends `wire` once through the toolkit's client; resolves with the answer, whatever its status, or rejects
 * with a RequestProblem. Both paths use it: octokit's fetch (fetch.ts) and the requests of other services.
 */
async function sendOnce(wire, limits, deadline) {
    const signal = attemptSignal(limits, deadline);
    let proxy;
    const client = new lib/* HttpClient */.Qq('app-jwt-action', [signalHandler(signal)], {
        allowRedirects: false,
        allowRetries: false,
        keepAlive: true,
        // The attempt's own signal ends it first; this only keeps the client's default (3 min) out of the way.
        socketTimeout: limits.requestTimeoutMs + 1000,
    });
    try {
        proxy = (0,http_proxy/* chooseProxy */.U)(wire.url);
        checkHeaders(wire.headers);
        const response = await client.request(wire.method, wire.url.href, (wire.body ?? null), wire.headers);
        const { message } = response;
        checkDeclaredLength(message.headers['content-length'], limits.maxBodyBytes);
        const body = await decodedBody(message, limits.maxBodyBytes);
        return { status: message.statusCode ?? 0, headers: message.headers, body };
    }
    catch (error) {
        throw new http_failure/* RequestProblem */.ZW(attemptFailure(error, signal, { target: wire.url, proxy, limits, deadline }));
    }
    finally {
        client.dispose();
    }
}
/** A request of a service other than GitHub, once: form-encoded, answered as an ApiResponse. */
async function sendThroughToolkit(request, limits, deadline) {
    const headers = { accept: 'application/json', ...request.headers };
    let body;
    if (request.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(request.form).toString();
    }
    else if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
    }
    const answer = await sendOnce({ method: request.method, url: new URL(request.url), headers, body }, limits, deadline);
    return (0,response/* apiResponse */.aI)(answer.status, (0,response/* headerLookup */.uD)(answer.headers), answer.body.toString('utf8'));
}

;// CONCATENATED MODULE: ./src/http/fetch.ts
// The fetch octokit sends GitHub requests with: each call is one attempt through the toolkit's client
// (@actions/http-client and its proxy agents), under the attempt's timeout and the step's
// deadline, with the body read under the cap. Every failure leaves as a RequestProblem, which octokit keeps as
// its RequestError's cause for the retry hook.
//
// The answer is a small object with the parts of a fetch Response that octokit reads (status, url, headers,
// text, json, arrayBuffer): building a real Response would load Node's own fetch implementation, which costs a
// token run more start-up time than all of octokit.


/** Response headers as fetch's Headers shows them: lower-case names, repeated values joined with ', '. */
class AnswerHeaders {
    #values;
    constructor(headers) {
        this.#values = new Map();
        for (const [name, value] of Object.entries(headers)) {
            // The body is already decoded: its coding and length no longer describe it.
            if (value === undefined || name === 'content-encoding' || name === 'content-length')
                continue;
            this.#values.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
        }
    }
    get(name) {
        return this.#values.get(name.toLowerCase()) ?? null;
    }
    has(name) {
        return this.#values.has(name.toLowerCase());
    }
    [Symbol.iterator]() {
        return this.#values.entries();
    }
}
function answer(url, status, headers, body) {
    const text = async () => body.toString('utf8');
    return {
        ok: status >= 200 && status < 300,
        status,
        statusText: '',
        url: url.href,
        headers: new AnswerHeaders(headers),
        body: null,
        text,
        json: async () => JSON.parse(await text()),
        arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
    };
}
function createBoundedFetch(limits, deadline) {
    const bounded = async (input, init = {}) => {
        const url = new URL(String(input));
        const headers = Object.fromEntries(Object.entries((init.headers ?? {})).map(([name, value]) => [
            name.toLowerCase(),
            String(value),
        ]));
        if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
            throw new TypeError('the GitHub client sent a body that is not text');
        const sent = await sendOnce({ method: init.method ?? 'GET', url, headers, body: init.body ?? undefined }, limits, deadline);
        // A status no HTTP API answers with (a hostile or broken server) is not passed on as an answer.
        if (sent.status < 200 || sent.status > 599)
            throw new http_failure/* RequestProblem */.ZW({
                code: 'BAD_STATUS',
                reason: `the server answered with status ${sent.status}, which no HTTP API answers with`,
                hint: 'Check the URL: is it the GitHub REST API?',
                retryable: false,
            });
        return answer(url, sent.status, sent.headers, sent.body);
    };
    return bounded;
}

// EXTERNAL MODULE: ./src/http/limits.ts
var http_limits = __webpack_require__(3938);
;// CONCATENATED MODULE: ./src/http/retry.ts
// The retry loop every request goes through, whichever client sends it: the policy (retry-policy.ts) says
// whether an answer is worth another attempt; this counts attempts, waits, logs, and keeps every wait inside
// the step's deadline.


const DEFAULT_RETRY = {
    maxRetries: 3,
    baseDelayMs: 1000,
    maxRetryAfterMs: 60_000,
    random: Math.random,
    now: Date.now,
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    }),
};
/**
 * Sends until an answer that is not worth retrying, and returns it whatever its status. Throws HttpError when
 * the network fails for good, when the server asks for a longer wait than the action sits through, or when the
 * next wait would pass the step's deadline. `send` rejects with a RequestProblem for a transport failure.
 */
async function sendWithRetries(label, send, options, deadline) {
    const fail = (attempts, failure) => new http_failure/* HttpError */.j$({
        method: label.method,
        url: label.url,
        attempts,
        failure: {
            code: failure.code,
            reason: (0,http_failure/* redact */.E$)(failure.reason, label.secrets),
            hint: failure.hint && (0,http_failure/* redact */.E$)(failure.hint, label.secrets),
        },
    });
    for (let attempt = 1;; attempt++) {
        let outcome;
        try {
            outcome = await send();
        }
        catch (error) {
            if (!(error instanceof http_failure/* RequestProblem */.ZW))
                throw error;
            outcome = error.failure;
        }
        const retriesLeft = attempt <= options.maxRetries;
        let delayMs;
        let reason;
        if ('response' in outcome) {
            const verdict = (0,retry_policy/* retryVerdict */.yD)(outcome.response, options.now(), options.maxRetryAfterMs);
            if (!verdict || !retriesLeft)
                return outcome;
            const tooLong = (0,retry_policy/* waitTooLong */.CS)(verdict, options.maxRetryAfterMs);
            if (tooLong)
                throw fail(attempt, tooLong);
            reason = verdict.reason;
            delayMs = verdict.waitMs ?? (0,retry_policy/* backoffDelay */.EY)(attempt, options.baseDelayMs, options.maxRetryAfterMs, options.random);
        }
        else {
            if (!outcome.retryable || !retriesLeft)
                throw fail(outcome.notSent ? attempt - 1 : attempt, outcome);
            reason = outcome.reason;
            delayMs = (0,retry_policy/* backoffDelay */.EY)(attempt, options.baseDelayMs, options.maxRetryAfterMs, options.random);
        }
        if (delayMs >= deadline.remainingMs())
            throw fail(attempt, {
                code: 'DEADLINE',
                reason: `${reason}; waiting ${(0,retry_policy/* formatDuration */.a3)(delayMs)} to try again would pass ${deadline.describe()}`,
                hint: 'Run the job again later.',
            });
        options.onRetry?.({
            service: label.service,
            method: label.method,
            url: label.url,
            attempt,
            maxRetries: options.maxRetries,
            delayMs,
            reason: (0,http_failure/* redact */.E$)(reason, label.secrets),
        });
        try {
            await options.sleep(delayMs, deadline.signal);
        }
        catch {
            throw fail(attempt, { code: 'DEADLINE', reason: `${reason}; ${deadline.describe()} passed during the wait` });
        }
    }
}

// EXTERNAL MODULE: ./src/http/url.ts
var url = __webpack_require__(6697);
;// CONCATENATED MODULE: ./src/http/transport.ts
// The HTTP layer as the providers get it: the bounded fetch for octokit, requests through the toolkit's client,
// and the retry loop, all under one set of limits and one deadline for the step.





function createTransport(options = {}) {
    const limits = { ...(0,http_limits/* limitsFromEnv */.E9)(options.env ?? {}), ...options.limits };
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    const deadline = (0,http_limits/* createDeadline */.dU)(limits.deadlineMs, retry.now);
    const retrying = (label, send) => sendWithRetries(label, send, retry, deadline);
    return {
        deadline,
        fetch: createBoundedFetch(limits, deadline),
        retrying,
        async request(request) {
            const label = {
                service: request.service,
                method: request.method,
                url: (0,url/* showUrl */.jr)(new URL(request.url)),
                secrets: [...Object.values(request.headers ?? {}), ...Object.values(request.form ?? {})],
            };
            const sent = await retrying(label, async () => {
                const response = await sendThroughToolkit(request, limits, deadline);
                return { response, value: response };
            });
            return sent.value;
        },
    };
}


/***/ })

};
