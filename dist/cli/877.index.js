export const id = 877;
export const ids = [877];
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

/***/ 5877:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  crc32c: () => (/* binding */ crc32c),
  gcpKey: () => (/* binding */ gcpKey)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/http/failure.ts
var http_failure = __webpack_require__(2398);
// EXTERNAL MODULE: ./src/http/limits.ts
var limits = __webpack_require__(3938);
// EXTERNAL MODULE: ./src/http/url.ts
var http_url = __webpack_require__(6697);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/google-auth-library/build/src/index.js
var src = __webpack_require__(492);
// EXTERNAL MODULE: ./src/http/network-errors.ts
var network_errors = __webpack_require__(8360);
// EXTERNAL MODULE: ./src/http/proxy.ts
var http_proxy = __webpack_require__(7856);
// EXTERNAL MODULE: ./src/http/response.ts
var response = __webpack_require__(8621);
// EXTERNAL MODULE: ./src/http/retry-policy.ts
var retry_policy = __webpack_require__(7593);
// EXTERNAL MODULE: ./src/keys/kms/remote-key.ts
var remote_key = __webpack_require__(5164);
;// CONCATENATED MODULE: ./src/keys/kms/gcp-credentials.ts
// Google credentials for Cloud KMS: the ADC file google-github-actions/auth writes (GOOGLE_APPLICATION_CREDENTIALS: a
// service account key or a workload identity federation config), its secrets masked before any request, the token
// fetched by google-auth-library as Google's own clients do, and each failure of that flow as the fix for it.











/** The credential types google-auth-library reads from a file, besides the two google-github-actions/auth writes. */
const FILE_TYPES = ['service_account', 'external_account', 'authorized_user', 'impersonated_service_account'];
const AUTH_ACTION = 'google-github-actions/auth';
/** The credentials file read and its secrets masked, then the library's client for it, with the given scope. */
async function googleCredentials(uri, deps, scope) {
    const file = await readCredentials(uri, deps.env);
    // Every secret masked once, and kept out of every message.
    const secrets = [];
    const mask = (secret) => {
        const value = secret.trim();
        if (!value || secrets.includes(value))
            return;
        secrets.push(value);
        deps.mask(value);
    };
    for (const secret of await fileSecrets(file))
        mask(secret);
    const transport = await deps.transport();
    // ADC with the file's content, as google-auth-library reads GOOGLE_APPLICATION_CREDENTIALS itself; read here
    // because the environment is the one given (process.env in the action), and so its secrets are masked first.
    const auth = new src.GoogleAuth({
        credentials: file.json,
        scopes: [scope],
        clientOptions: { transporter: maskingTransporter(file, transport, mask) },
    });
    let client;
    try {
        client = await auth.getClient();
    }
    catch (error) {
        throw notCredentials(uri, file.path, quote(error.message, secrets).replace(/\.$/, ''));
    }
    const identity = identityOf(file);
    const fetchToken = async () => {
        let value;
        try {
            value = (await client.getAccessToken()).token;
        }
        catch (error) {
            throw tokenFailure(uri, file, error, transport, secrets);
        }
        if (!value)
            throw new remote_key/* KmsError */.M(`${uri}: Google issued ${identity} no access token; run the job again.`);
        mask(value);
    };
    return { file, client, transport, identity, secrets, fetchToken };
}
// ---------------------------------------------------------------------------------------------------------
// The credentials file
function noCredentials(uri, detail) {
    return new remote_key/* KmsError */.M(`${uri}: no Google Cloud credentials: ${detail}. Run ${AUTH_ACTION} before this step (with workload_identity_provider, or credentials_json for a service account key): it writes the credentials file and sets GOOGLE_APPLICATION_CREDENTIALS to it.`);
}
function notCredentials(uri, path, detail) {
    return new remote_key/* KmsError */.M(`${uri}: ${path} (GOOGLE_APPLICATION_CREDENTIALS) is not a Google credentials file: ${detail}. Use the file ${AUTH_ACTION} writes, or a service account key (JSON) downloaded from the Cloud console.`);
}
async function readCredentials(uri, env) {
    const value = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
    if (!value)
        throw noCredentials(uri, 'GOOGLE_APPLICATION_CREDENTIALS is not set');
    const path = (0,external_node_path_.resolve)(value);
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw noCredentials(uri, `GOOGLE_APPLICATION_CREDENTIALS is ${path}, which cannot be read (${typeof code === 'string' ? code : 'unreadable'})`);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw notCredentials(uri, path, 'it is not JSON');
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
        throw notCredentials(uri, path, 'it is not a JSON object');
    const record = json;
    const type = typeof record.type === 'string' ? record.type : '';
    if (!FILE_TYPES.includes(type))
        throw notCredentials(uri, path, type
            ? `its type is ${JSON.stringify(type.slice(0, 40))}, not service_account or external_account`
            : 'it has no type');
    if (type === 'service_account') {
        if (typeof record.client_email !== 'string' || typeof record.private_key !== 'string')
            throw notCredentials(uri, path, 'a service_account file needs client_email and private_key');
        // The library would only say "DECODER routines::unsupported" when it signs.
        try {
            (0,external_node_crypto_.createPrivateKey)(record.private_key);
        }
        catch {
            throw notCredentials(uri, path, 'its private_key is not a PEM private key');
        }
    }
    return { path, json: record, type };
}
const asRecord = (value) => value && typeof value === 'object' && !Array.isArray(value) ? value : {};
/** Every secret the file holds, in each form a log could show it (a PEM line by line, and JSON-escaped). */
async function fileSecrets(file) {
    const { json } = file;
    const secrets = [];
    for (const field of ['private_key', 'client_secret', 'refresh_token']) {
        const value = json[field];
        if (typeof value !== 'string')
            continue;
        secrets.push(value, JSON.stringify(value).slice(1, -1), ...value.split(/\r?\n/));
    }
    const source = asRecord(json.credential_source);
    for (const header of Object.values(asRecord(source.headers)))
        if (typeof header === 'string')
            secrets.push(header, ...header.split(/\s+/));
    // A subject token kept in a file: read here only to be masked; the library reads it again for itself.
    if (typeof source.file === 'string')
        secrets.push(await (0,promises_.readFile)(source.file, 'utf8').then((text) => text.trim(), () => ''));
    // A PEM is masked line by line (a log shows it so), and as the one JSON line the file holds; its BEGIN and END
    // lines are no secret, and masking them would blot out every PEM label in the log.
    return secrets
        .map((s) => s.trim())
        .filter((s) => s.length >= 8 && !s.includes('\n') && !/^-----(BEGIN|END) [A-Z ]+-----$/.test(s));
}
/** The workload identity pool of a federated identity that signs as itself (no service account). */
function federatedPool(file) {
    if (file.type !== 'external_account' || file.json.service_account_impersonation_url)
        return undefined;
    return /^\/\/iam\.googleapis\.com\/(.+)\/providers\/[^/]+$/.exec(String(file.json.audience ?? ''))?.[1];
}
/** Who signs, for messages: the service account when there is one, else the federated identity. */
function identityOf(file) {
    const { json } = file;
    if (typeof json.client_email === 'string')
        return `the service account ${json.client_email}`;
    const impersonated = /serviceAccounts\/([^/:]+):generateAccessToken/.exec(String(json.service_account_impersonation_url ?? ''));
    if (impersonated)
        return `the service account ${impersonated[1]} (through workload identity federation)`;
    if (file.type === 'external_account')
        return `the workload identity of this workflow (${String(json.audience ?? 'no audience').replace(/^\/\/iam\.googleapis\.com\//, '')})`;
    if (file.type === 'authorized_user')
        return 'the Google user of the credentials file';
    return 'the identity of the credentials file';
}
// ---------------------------------------------------------------------------------------------------------
// The library's HTTP: every token it receives or sends is masked before the request that uses it
const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token', 'accessToken'];
const FORM_SECRETS = ['assertion', 'subject_token', 'client_secret', 'refresh_token'];
function maskingTransporter(file, transport, mask) {
    const source = asRecord(file.json.credential_source);
    const format = asRecord(source.format);
    const subjectField = typeof format.subject_token_field_name === 'string' ? format.subject_token_field_name : undefined;
    const subjectUrl = subjectTokenUrl(file);
    const transporter = new src.gaxios.Gaxios({
        timeout: limits/* DEFAULT_LIMITS */.dR.requestTimeoutMs,
        signal: transport.deadline.signal,
        // The toolkit's rule, which the action's other requests follow: loopback is never proxied.
        noProxy: [/^https?:\/\/(localhost|127\.[\d.]+|\[::1\])(:\d+)?\//i],
    });
    transporter.interceptors.request.add({
        resolved: async (config) => {
            if (config.data instanceof URLSearchParams)
                for (const field of FORM_SECRETS) {
                    const value = config.data.get(field);
                    if (value)
                        mask(value);
                }
            return config;
        },
    });
    transporter.interceptors.response.add({
        resolved: async (response) => {
            const data = response.data;
            if (typeof data === 'string' && subjectUrl && String(response.config.url) === subjectUrl.href)
                mask(data.trim());
            const record = asRecord(data);
            for (const field of [...TOKEN_FIELDS, ...(subjectField ? [subjectField] : [])])
                if (typeof record[field] === 'string')
                    mask(record[field]);
            return response;
        },
    });
    return transporter;
}
/** Where the library fetches the subject token (the runner's ID-token service), when the file says. */
function subjectTokenUrl(file) {
    const url = asRecord(file.json.credential_source).url;
    try {
        return typeof url === 'string' ? new URL(url) : undefined;
    }
    catch {
        return undefined;
    }
}
function networkFailure(error, target, transport) {
    const e = error;
    let proxy;
    try {
        proxy = (0,http_proxy/* chooseProxy */.U)(target);
    }
    catch {
        proxy = undefined;
    }
    if (transport.deadline.signal.aborted)
        return { code: 'DEADLINE', reason: `${transport.deadline.describe()} passed`, retryable: false };
    if (e.code === 'TimeoutError')
        return (0,network_errors/* timeoutFailure */._)(limits/* DEFAULT_LIMITS */.dR.requestTimeoutMs, proxy);
    if (e.type === 'max-size' || e.cause?.type === 'max-size')
        return {
            code: 'TOO_LARGE',
            reason: `the answer is larger than ${(0,retry_policy/* formatBytes */.z3)(limits/* DEFAULT_LIMITS */.dR.maxBodyBytes)}`,
            retryable: false,
        };
    return (0,network_errors/* describeNetworkError */.g)(error, target, proxy);
}
/** One line of a server's or library's text for a message: no secrets, no line breaks, not too long. */
function quote(text, secrets) {
    return (0,response/* serverText */.Tn)((0,http_failure/* redact */.E$)(String(text ?? ''), secrets));
}
// ---------------------------------------------------------------------------------------------------------
// Token failures: which step of the flow refused, in the words of the fix
function tokenFailure(uri, file, error, transport, secrets) {
    const e = error;
    const url = typeof e.config?.url === 'string' || e.config?.url instanceof URL ? new URL(String(e.config.url)) : undefined;
    const identity = identityOf(file);
    if (url && !e.response) {
        const failure = networkFailure(error, url, transport);
        return new remote_key/* KmsError */.M(`${uri}: could not reach ${url.host} for a Google access token: ${quote(failure.reason, secrets)}.${failure.hint ? ` ${failure.hint}` : ''}`);
    }
    const data = asRecord(e.response?.data);
    const status = e.response?.status;
    const audience = String(file.json.audience ?? '').replace(/^\/\/iam\.googleapis\.com\//, '');
    if (url && typeof data.error === 'string') {
        const said = `${quote(data.error, secrets)}: ${quote(data.error_description, secrets)}`;
        if (url.hostname.startsWith('sts.')) {
            const fix = data.error === 'unauthorized_client'
                ? "Change the provider's attribute condition to admit this repository (and its branch or workflow), or run from one it admits."
                : data.error === 'invalid_target'
                    ? `The pool or provider does not exist or is disabled: check ${AUTH_ACTION}'s workload_identity_provider (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, with the project number).`
                    : /audience/i.test(String(data.error_description))
                        ? `The OIDC token's audience is not one the provider accepts: leave ${AUTH_ACTION}'s audience input at its default, or add it to the provider's allowed audiences.`
                        : "Check the workload identity provider's issuer, allowed audiences and attribute condition.";
            return new remote_key/* KmsError */.M(`${uri}: Google's Security Token Service refused this workflow's GitHub OIDC token for ${audience} (${said}). ${fix}`);
        }
        const description = String(data.error_description ?? '');
        const fix = /short-lived|iat and exp/i.test(description)
            ? "This runner's clock is off: Google takes the service account's signed request only within minutes of its own time. Sync the clock (NTP) and run the job again."
            : /signature/i.test(description)
                ? `The key in the file was deleted or disabled, or the file was altered: create a new key for the account and store it in the secret ${AUTH_ACTION}'s credentials_json reads (or switch to workload identity federation).`
                : /account not found/i.test(description)
                    ? 'The account was deleted or disabled, or the file names another one: use a key of an existing account.'
                    : `Check the credentials file ${AUTH_ACTION} was given.`;
        return new remote_key/* KmsError */.M(`${uri}: Google refused ${identity} an access token (${said}). ${fix}`);
    }
    const apiStatus = asRecord(data.error);
    if (url?.hostname.startsWith('iamcredentials.')) {
        const account = /serviceAccounts\/([^/:]+):/.exec(url.pathname)?.[1] ?? 'the service account';
        const said = `${quote(apiStatus.status ?? `HTTP ${status}`, secrets)}: ${quote(apiStatus.message, secrets)}`;
        return new remote_key/* KmsError */.M(status === 403
            ? `${uri}: Google refused to let this workflow's workload identity act as ${account} (${said}). Grant the pool's principal set (for one repository: principalSet://iam.googleapis.com/${audience.replace(/\/providers\/[^/]+$/, '')}/attribute.repository/OWNER/REPO) roles/iam.workloadIdentityUser on ${account}.`
            : `${uri}: Google's IAM Credentials API did not issue a token for ${account} (${said}).`);
    }
    const subjectUrl = subjectTokenUrl(file);
    if (url && status !== undefined && subjectUrl && url.origin === subjectUrl.origin)
        return new remote_key/* KmsError */.M(`${uri}: the GitHub OIDC token for workload identity federation could not be fetched (HTTP ${status} from ${url.host}). The credentials file's request token works only in the job that ran ${AUTH_ACTION}: run it in this job, with permissions: id-token: write.`);
    // Google's own words when the answer has them (the library's message then reads "[object Object]: undefined").
    const message = (typeof apiStatus.message === 'string'
        ? `${quote(apiStatus.status ?? `HTTP ${status}`, secrets)}: ${quote(apiStatus.message, secrets)}`
        : quote(e.message ?? error, secrets)).replace(/\.$/, '');
    return new remote_key/* KmsError */.M(`${uri}: could not get a Google access token for ${identity} with ${file.path}${status ? ` (HTTP ${status} from ${url?.host})` : ''}: ${message}.`);
}

;// CONCATENATED MODULE: ./src/keys/kms/gcp.ts
// Google Cloud KMS, signed in to as gcp-credentials.ts does. KMS's REST API is called through google-auth-library:
// GET v1/{name}/publicKey once, POST v1/{name}:asymmetricSign for each JWT, every answer checked as the API reference
// advises (the version's name, the CRC32C checksums), each request retried by the action's policy under the deadline.






/** Enough for GetPublicKey and AsymmetricSign, nothing else (the Cloud KMS API's narrower scope). */
const KMS_SCOPE = 'https://www.googleapis.com/auth/cloudkms';
const RS256_ALGORITHMS = ['RSA_SIGN_PKCS1_2048_SHA256', 'RSA_SIGN_PKCS1_3072_SHA256', 'RSA_SIGN_PKCS1_4096_SHA256'];
const RS256_NEEDS = `RS256 JWTs need an RSA signing key with algorithm ${RS256_ALGORITHMS.slice(0, 2).join(', ')} or ${RS256_ALGORITHMS[2]}`;
/** Attempts at an answer whose checksum does not match ("a limited number of retries", as the reference says). */
const INTEGRITY_ATTEMPTS = 3;
// ---------------------------------------------------------------------------------------------------------
// CRC32C (Castagnoli): Cloud KMS's integrity check; not in node:zlib, whose crc32 is the IEEE polynomial.
const CRC32C_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
        c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
function crc32c(data) {
    let crc = 0xffffffff;
    for (const byte of data)
        crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}
// ---------------------------------------------------------------------------------------------------------
// Where the service is
/** The KMS base URL, with its trailing slash: CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS as gcloud reads it. */
function kmsEndpoint(uri, env, universe) {
    const value = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS?.trim();
    if (!value)
        return { base: new URL(`https://cloudkms.${universe}/`), overridden: false };
    let url;
    try {
        url = new URL(value);
    }
    catch {
        // Not quoted: a value that does not parse cannot be shown without what may be a password in it.
    }
    const usable = url &&
        (url.protocol === 'https:' || (url.protocol === 'http:' && (0,http_url/* isLoopbackHost */.cW)(url.hostname))) &&
        !url.username &&
        !url.password &&
        !url.search &&
        !url.hash;
    if (!url || !usable)
        throw new remote_key/* KmsError */.M(`${uri}: CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS must be the https URL of the Cloud KMS API, such as https://cloudkms.googleapis.com/ (http only for a loopback address)${url ? `; it is ${(0,http_url/* hideUserinfo */.kc)((0,http_url/* showUrl */.jr)(url))}` : ', and it is not a URL'}.`);
    // gcloud appends "v1/…" to the value as written, so a base without its trailing slash is taken as meant.
    if (!url.pathname.endsWith('/'))
        url.pathname += '/';
    return { base: url, overridden: true };
}
function googleStatus(body) {
    const error = asRecord(asRecord(body).error);
    return typeof error.message === 'string' || typeof error.status === 'string' ? error : undefined;
}
/** projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V as gcloud's flags. */
function gcloudFlags(versionName) {
    const [, project, , location, , ring, , key, , version] = versionName.split('/');
    return `${version} --key ${key} --keyring ${ring} --location ${location} --project ${project}`;
}
function stateFailure(uri, versionName, state) {
    switch (state) {
        case 'DISABLED':
            return new remote_key/* KmsError */.M(`${uri}: this key version is DISABLED, and Cloud KMS signs only with an ENABLED one. Enable it (gcloud kms keys versions enable ${gcloudFlags(versionName)}), or name an enabled version in kms-key.`);
        case 'DESTROYED':
            return new remote_key/* KmsError */.M(`${uri}: this key version is DESTROYED: its key material is gone for good. Import the app's private key into a new version of the key and name that version in kms-key.`);
        case 'DESTROY_SCHEDULED':
            return new remote_key/* KmsError */.M(`${uri}: this key version is scheduled for destruction (DESTROY_SCHEDULED). Restore it (gcloud kms keys versions restore ${gcloudFlags(versionName)}), then enable it.`);
        case 'PENDING_GENERATION':
        case 'PENDING_IMPORT':
            return new remote_key/* KmsError */.M(`${uri}: this key version is not ready yet (${state}). Wait until it is ENABLED, then run the job again.`);
        default:
            return new remote_key/* KmsError */.M(`${uri}: this key version is ${state}, and Cloud KMS signs only with an ENABLED one. Name an enabled version in kms-key.`);
    }
}
function purposeFailure(uri, purpose) {
    const what = purpose === 'ENCRYPT_DECRYPT'
        ? 'a symmetric encryption key'
        : purpose === 'ASYMMETRIC_DECRYPT'
            ? 'a decryption key'
            : purpose === 'MAC'
                ? 'a MAC key'
                : 'not a signing key';
    return new remote_key/* KmsError */.M(`${uri} is ${what} (purpose ${purpose}); ${RS256_NEEDS} (purpose ASYMMETRIC_SIGN).`);
}
/** Why an algorithm that Cloud KMS offers cannot make RS256 signatures, or undefined when it can. */
function algorithmProblem(uri, algorithm) {
    if (RS256_ALGORITHMS.includes(algorithm))
        return undefined;
    const fix = `${RS256_NEEDS}. Create a key version with one of those (a GitHub App's downloaded key imports as RSA_SIGN_PKCS1_2048_SHA256).`;
    if (algorithm.startsWith('EC_SIGN_'))
        return `${uri} is an EC signing key (${algorithm}); ${fix}`;
    if (algorithm.startsWith('RSA_SIGN_PSS_'))
        return `${uri} is an RSA-PSS key (${algorithm}), and RS256 is RSASSA-PKCS1-v1_5; ${fix}`;
    if (algorithm.startsWith('RSA_SIGN_RAW_PKCS1_'))
        return `${uri} signs raw data without a digest (${algorithm}), and RS256 signs a SHA-256 digest; ${fix}`;
    if (/^RSA_SIGN_PKCS1_\d+_SHA(384|512)$/.test(algorithm))
        return `${uri} signs ${algorithm.replace(/^.*_SHA/, 'SHA-')} digests (${algorithm}), and RS256 signs SHA-256 ones; ${fix}`;
    if (algorithm.startsWith('RSA_DECRYPT_'))
        return `${uri} is an RSA decryption key (${algorithm}), not a signing key; ${fix}`;
    return `${uri} has the algorithm ${algorithm}, which cannot make RS256 signatures; ${fix}`;
}
// ---------------------------------------------------------------------------------------------------------
async function gcpKey(key, deps) {
    const { uri, versionName } = key;
    const { file, client, transport, identity, secrets, fetchToken } = await googleCredentials(uri, deps, KMS_SCOPE);
    const endpoint = kmsEndpoint(uri, deps.env, client.universeDomain);
    deps.log.debug(`Cloud KMS at ${endpoint.base.origin}, as ${identity}, with credentials from ${file.path}.`);
    let token;
    const where = endpoint.overridden ? ` (the endpoint from CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS)` : '';
    /** One request, retried by the action's policy; the answer whatever its status. */
    async function call(method, path, data) {
        token ??= fetchToken();
        await token;
        const url = new URL(path, endpoint.base);
        const label = { service: 'Cloud KMS', method, url: (0,http_url/* showUrl */.jr)(url), secrets };
        try {
            const sent = await transport.retrying(label, async () => {
                let answer;
                try {
                    answer = await client.request({
                        url: url.href,
                        method,
                        data,
                        retry: false,
                        validateStatus: () => true,
                        maxContentLength: limits/* DEFAULT_LIMITS */.dR.maxBodyBytes,
                    });
                }
                catch (error) {
                    if (error.response)
                        throw error;
                    throw new http_failure/* RequestProblem */.ZW(networkFailure(error, url, transport));
                }
                const date = answer.headers.get('date');
                const response = {
                    status: answer.status,
                    headers: { get: (name) => answer.headers.get(name) },
                    body: answer.data,
                    ...(date ? { date: new Date(date) } : {}),
                };
                return { response, value: response };
            });
            return sent.value;
        }
        catch (error) {
            if (error instanceof http_failure/* HttpError */.j$) {
                const what = ['DEADLINE', 'TIMEOUT'].includes(error.code)
                    ? 'did not answer in time'
                    : error.code === 'TOO_LARGE'
                        ? 'gave no usable answer'
                        : 'could not be reached';
                throw new remote_key/* KmsError */.M(`${uri}: Cloud KMS${where} ${what}: ${error.message}`);
            }
            if (error instanceof remote_key/* KmsError */.M)
                throw error;
            throw new remote_key/* KmsError */.M(`${uri}: the request to Cloud KMS${where} failed: ${quote(error.message, secrets)}.`);
        }
    }
    /** Every answer that is not a success, as the fix for it. */
    function failure(response, doing) {
        const status = googleStatus(response.body);
        const said = status
            ? `${status.status ?? `HTTP ${response.status}`}: ${quote(status.message, secrets)}`
            : undefined;
        const message = status?.message ?? '';
        const permission = status?.details?.find((d) => d.reason === 'IAM_PERMISSION_DENIED')?.metadata?.permission ??
            /Permission '([^']+)' denied/.exec(message)?.[1];
        if (response.status === 403 && permission) {
            const role = permission === 'cloudkms.cryptoKeyVersions.useToSign'
                ? 'roles/cloudkms.signerVerifier on the key (or roles/cloudkms.signer, for signing alone)'
                : 'roles/cloudkms.signerVerifier on the key (or roles/cloudkms.publicKeyViewer, for the public key alone)';
            // A federated identity is granted roles as a principal set of its pool, not by the provider's name.
            const grantee = federatedPool(file)
                ? `the pool's principal set (for one repository: principalSet://iam.googleapis.com/${federatedPool(file)}/attribute.repository/OWNER/REPO)`
                : 'it';
            return new remote_key/* KmsError */.M(`${uri}: ${identity} lacks the permission ${permission} on this key, or the key does not exist (Google answers both alike). Grant ${grantee} ${role}, and check the project, location, key ring and key in kms-key.`);
        }
        const state = /current state is: ([A-Z_]+)/.exec(message)?.[1];
        if (status?.status === 'FAILED_PRECONDITION' && state)
            return stateFailure(uri, versionName, state);
        const purpose = /incorrect key purpose: ([A-Z_]+)/.exec(message)?.[1];
        if (status?.status === 'FAILED_PRECONDITION' && purpose)
            return purposeFailure(uri, purpose);
        if (response.status === 404 && status)
            return new remote_key/* KmsError */.M(`${uri}: this key version does not exist (${said}). Check the project, location, key ring, key and version number in kms-key (gcloud kms keys versions list --key KEY --keyring RING --location LOCATION --project PROJECT).`);
        if (response.status === 401)
            return new remote_key/* KmsError */.M(`${uri}: Cloud KMS did not accept the access token Google issued to ${identity} (${said ?? `HTTP 401`}). Run the job again; if it fails again, run ${AUTH_ACTION} again in this job.`);
        if (!status)
            return new remote_key/* KmsError */.M(`${uri}: Cloud KMS${where} answered HTTP ${response.status} to ${doing}, in no form the Cloud KMS API answers with. Check the endpoint${endpoint.overridden ? '' : ' and any proxy between'}.`);
        if (response.status === 429 || response.status >= 500)
            return new remote_key/* KmsError */.M(`${uri}: Cloud KMS kept failing to ${doing} (${said}), also after retries. Run the job again later.`);
        return new remote_key/* KmsError */.M(`${uri}: Cloud KMS refused to ${doing} (${said}).`);
    }
    /** The answer's own checks; a mismatch means the bytes were damaged on the way, so it is asked again. */
    async function checked(doing, ask, read) {
        let problem = '';
        for (let attempt = 1; attempt <= INTEGRITY_ATTEMPTS; attempt++) {
            const response = await ask();
            if (response.status !== 200)
                throw failure(response, doing);
            const body = asRecord(response.body);
            if (body.name !== versionName)
                throw new remote_key/* KmsError */.M(`${uri}: Cloud KMS${where} answered for another key version (${quote(body.name ?? 'no name', secrets)}) when asked to ${doing}. Check the endpoint.`);
            const value = read(body);
            if (typeof value !== 'string')
                return value;
            problem = value;
            deps.log.info(`Cloud KMS's answer to ${doing} failed its integrity check (${problem}); asking again.`);
        }
        throw new remote_key/* KmsError */.M(`${uri}: Cloud KMS's answer to ${doing} failed its integrity check ${INTEGRITY_ATTEMPTS} times (${problem}): the answers are damaged on the way. Run the job again.`);
    }
    const keyPath = `v1/${versionName.split('/').map(encodeURIComponent).join('/')}`;
    return {
        uri,
        async publicKey() {
            const { pem, algorithm } = await checked('read the public key', () => call('GET', `${keyPath}/publicKey`), (body) => {
                if (typeof body.pem !== 'string' || typeof body.algorithm !== 'string')
                    return 'no pem or algorithm';
                if (String(body.pemCrc32c) !== String(crc32c(Buffer.from(body.pem, 'utf8'))))
                    return 'pemCrc32c does not match the PEM';
                return { pem: body.pem, algorithm: body.algorithm };
            });
            const problem = algorithmProblem(uri, algorithm);
            if (problem)
                throw new remote_key/* KmsError */.M(problem);
            try {
                return (0,external_node_crypto_.createPublicKey)(pem);
            }
            catch {
                throw new remote_key/* KmsError */.M(`${uri}: Cloud KMS${where} answered with a public key that does not parse as PEM.`);
            }
        },
        async signDigest(digest) {
            const data = { digest: { sha256: digest.toString('base64') }, digestCrc32c: String(crc32c(digest)) };
            return checked('sign', () => call('POST', `${keyPath}:asymmetricSign`, data), (body) => {
                if (body.verifiedDigestCrc32c !== true)
                    return 'verifiedDigestCrc32c is not true: the digest may have been damaged';
                if (typeof body.signature !== 'string')
                    return 'no signature';
                const signature = Buffer.from(body.signature, 'base64');
                if (String(body.signatureCrc32c) !== String(crc32c(signature)))
                    return 'signatureCrc32c does not match the signature';
                return signature;
            });
        },
    };
}


/***/ })

};
