export const id = 803;
export const ids = [803];
export const modules = {

/***/ 5931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   jr: () => (/* binding */ showUrl),
/* harmony export */   kc: () => (/* binding */ hideUserinfo),
/* harmony export */   nV: () => (/* binding */ parseApiUrl),
/* harmony export */   we: () => (/* binding */ joinUrl)
/* harmony export */ });
/* unused harmony export ApiUrlError */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);


/** An API URL input that cannot be used; the message names the input, the problem and the fix. */
class ApiUrlError extends _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz {
    constructor(input, message) {
        super(input, message);
    }
}
function isLoopbackHost(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost')
        return true;
    if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) === 4)
        return host.startsWith('127.');
    return (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) === 6 && host === '::1';
}
/** The URL as it may be shown: without user name and password. */
function showUrl(url) {
    if (!url.username && !url.password)
        return url.href;
    const copy = new URL(url.href);
    copy.username = '';
    copy.password = '';
    return copy.href;
}
/** A URL-ish text with any 'user:password@' part replaced, for messages about text that did not parse. */
function hideUserinfo(text) {
    return text.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/@\s]*@/i, '$1***@');
}
function withoutTrailingSlash(url) {
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
/**
 * Parses an API base URL input: https, or http for loopback only (local emulators); a path such as /api/v3
 * is kept and a trailing slash dropped. Throws ApiUrlError.
 */
function parseApiUrl(value, inputName) {
    const text = value.trim();
    if (!text)
        throw new ApiUrlError(inputName, 'is empty. Set it to the API base URL, starting with https://.');
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
        throw new ApiUrlError(inputName, `'${hideUserinfo(text)}' has no scheme. Write the URL in full: https://${hideUserinfo(text).replace(/^\/+/, '')}`);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new ApiUrlError(inputName, `'${hideUserinfo(text)}' is not a valid URL. Write it like https://ghe.example.com/api/v3.`);
    }
    const shown = showUrl(url).replace(/\/$/, '');
    if (url.username || url.password)
        throw new ApiUrlError(inputName, `'${shown.replace('//', '//***@')}' holds a user name or password. Credentials in a URL end up in logs; remove the 'user:password@' part (the action sends its own Authorization header).`);
    if (url.search || url.hash)
        throw new ApiUrlError(inputName, `'${shown}' has a query string or fragment. Give only the base URL: ${withoutTrailingSlash(url)}`);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
        throw new ApiUrlError(inputName, `'${shown}' is not https: the action sends credentials to this URL, so it must be https (plain http is accepted only for loopback addresses such as localhost, 127.0.0.1 and [::1], for local test servers). Use ${withoutTrailingSlash(url).replace(/^http:/, 'https:')}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new ApiUrlError(inputName, `'${shown}' uses ${url.protocol.slice(0, -1)}; only https:// URLs are supported.`);
    url.pathname = url.pathname.replace(/\/+$/, '') || '/';
    return url;
}
/** `base` + `path`, keeping the base's path prefix: joinUrl('https://ghe/api/v3', '/app') → https://ghe/api/v3/app */
function joinUrl(base, path) {
    const url = typeof base === 'string' ? new URL(base) : base;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
/* unused harmony export describeFailure */
/** A failure whose message is written for the person reading the job log: what failed, why, what to do. */
class ActionError extends Error {
    constructor(message) {
        super(message);
        this.name = new.target.name;
    }
}
/** A problem with one input: the message names the input, what is wrong and how to fix it. */
class InputError extends ActionError {
    input;
    constructor(input, message) {
        super(`Input '${input}': ${message}`);
        this.input = input;
    }
}
function describeFailure(error) {
    if (error instanceof ActionError)
        return error.message;
    return `app-jwt-action failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. Please report this with the step's log.`;
}


/***/ }),

/***/ 6803:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createHttpClient: () => (/* binding */ createHttpClient)
/* harmony export */ });
/* unused harmony exports HttpError, bypassesProxy, chooseProxy, formatDuration, parseRetryAfter, SECONDARY_RATE_LIMIT_WAIT_MS, retryVerdict, backoffDelay */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _api_url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5931);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
// The one HTTP client every API call uses: undici's fetch behind the runner's proxy settings, with bounded
// retries for transient faults. It never throws for an HTTP status (the caller knows what a 404 means for
// it); it throws HttpError when the network fails for good, when a request cannot be sent at all, or when
// the server asks for a longer wait than the action is willing to sit through.
//
// undici is imported on the first request, not with this module: loading it costs about 100 ms, which a
// run that only signs a JWT should not pay.



/** A request that could not get a usable answer. The message never holds headers or bodies. */
class HttpError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ {
    method;
    url;
    attempts;
    /** ECONNREFUSED, ENOTFOUND, TIMEOUT, RETRY_AFTER_TOO_LONG, INVALID_REQUEST, PROXY, TLS, ... */
    code;
    /** The last response, when the client gave up on one (RETRY_AFTER_TOO_LONG). */
    response;
    constructor(init) {
        const outcome = init.attempts === 0
            ? 'was not sent'
            : `failed after ${init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`}`;
        super(`${init.method} ${init.url} ${outcome}: ${init.reason}.${init.hint ? ` ${init.hint}` : ''}`);
        this.method = init.method;
        this.url = init.url;
        this.attempts = init.attempts;
        this.code = init.code;
        this.response = init.response;
    }
}
function firstSet(env, names) {
    return names.find((name) => env[name]?.trim());
}
function splitHostPort(entry) {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed)
        return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
    const withPort = /^([^:]+):(\d+)$/.exec(entry);
    if (withPort)
        return { host: withPort[1], port: Number(withPort[2]) };
    return { host: entry };
}
/** Whether NO_PROXY (the value given) sends requests to `target` directly. */
function bypassesProxy(target, noProxy) {
    const host = target.hostname
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '')
        .toLowerCase();
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    for (const raw of noProxy.split(/[\s,]+/)) {
        const entry = raw.trim().toLowerCase();
        if (!entry)
            continue;
        if (entry === '*')
            return true;
        const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
        if (cidr) {
            if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) !== 4 || (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(cidr[1]) !== 4 || Number(cidr[2]) > 32)
                continue;
            const range = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
            range.addSubnet(cidr[1], Number(cidr[2]), 'ipv4');
            if (range.check(host, 'ipv4'))
                return true;
            continue;
        }
        const parsed = splitHostPort(entry);
        if (parsed.port !== undefined && parsed.port !== port)
            continue;
        const name = parsed.host.replace(/^\*?\./, '').replace(/\.$/, '');
        if (name && (host === name || host.endsWith(`.${name}`)))
            return true;
    }
    return false;
}
function parseProxyUrl(value, variable) {
    const text = value.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        url = undefined;
    }
    if (!url || !['http:', 'https:', 'socks5:', 'socks:'].includes(url.protocol) || !url.hostname)
        throw new Error(`${variable} is set but is not a proxy URL this action can use. Set it like http://proxy.example.com:3128 (or http://user:password@proxy.example.com:3128), or unset it.`);
    return url;
}
/** The proxy a request to `target` goes through under `env`, or undefined to connect directly. */
function chooseProxy(target, env) {
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const variable = firstSet(env, names);
    if (!variable)
        return undefined;
    const noProxyName = firstSet(env, ['no_proxy', 'NO_PROXY']);
    if (noProxyName && bypassesProxy(target, env[noProxyName] ?? ''))
        return undefined;
    return { variable, url: parseProxyUrl(env[variable] ?? '', variable) };
}
function describeProxy(proxy) {
    return `${proxy.url.protocol}//${proxy.url.host}`;
}
// ---------------------------------------------------------------------------------------------------------
// Retry decisions
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 120_000)
        return `${Math.round(ms / 100) / 10} s`;
    return `${Math.ceil(ms / 60_000)} min`;
}
/** Retry-After as a wait in ms: delta-seconds or an HTTP date (against the server's clock when known). */
function parseRetryAfter(value, serverNow) {
    if (value === null)
        return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
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
/** Whether a response is worth another attempt, and how long the server wants us to wait first. */
function retryVerdict(response, now) {
    const { status, headers } = response;
    const serverNow = response.date?.getTime() ?? now;
    const retryAfter = parseRetryAfter(headers.get('retry-after'), serverNow);
    const label = `HTTP ${status}`;
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
    if ((status === 403 || status === 429) && remaining?.trim() === '0' && Number.isFinite(reset) && reset > 0) {
        const until = new Date(reset * 1000);
        const summary = `${label}, rate limit used up until ${until.toISOString()} (x-ratelimit-remaining: 0)`;
        return { reason: summary, summary, waitMs: Math.max(retryAfter ?? 0, until.getTime() - serverNow, 0), until };
    }
    const verdict = (summary, waitMs, asked = retryAfter !== undefined) => ({
        reason: asked && waitMs !== undefined ? `${summary}, Retry-After ${formatDuration(waitMs)}` : summary,
        summary,
        ...(waitMs === undefined ? {} : { waitMs, until: new Date(now + waitMs) }),
    });
    if (status === 429)
        return verdict(`${label} Too Many Requests`, retryAfter);
    if (status === 403 && retryAfter !== undefined)
        return verdict(`${label}, secondary rate limit`, retryAfter);
    if (status === 403 && /secondary rate limit|abuse detection/i.test(bodyMessage(response.body)))
        return {
            ...verdict(`${label}, secondary rate limit (no Retry-After)`, SECONDARY_RATE_LIMIT_WAIT_MS, false),
            secondary: true,
        };
    if (status >= 500 && status <= 599)
        return verdict(label, retryAfter);
    return undefined;
}
/** Full jitter: a random wait between 0 and base·2^(retry−1), capped. `retry` counts from 1. */
function backoffDelay(retry, baseDelayMs, capMs, random) {
    const ceiling = Math.min(capMs, baseDelayMs * 2 ** (retry - 1));
    return Math.round(Math.min(Math.max(random(), 0), 1) * ceiling);
}
function rootCause(error) {
    let current = error;
    for (let depth = 0; depth < 5 && current?.cause && typeof current.cause === 'object'; depth++)
        current = current.cause;
    if (!current?.code && Array.isArray(current?.errors) && current.errors.length)
        return current.errors[0];
    return current ?? {};
}
const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT/;
function describeNetworkError(error, target, proxy) {
    const cause = rootCause(error);
    const code = typeof cause.code === 'string' ? cause.code : '';
    const message = typeof cause.message === 'string' ? cause.message.split('\n')[0].trim() : String(error);
    const where = proxy ? `the proxy ${describeProxy(proxy)}` : target.host;
    const proxyHint = proxy
        ? ` If ${target.hostname} should be reached directly, add it to NO_PROXY; otherwise check ${proxy.variable}.`
        : '';
    const tunnel = /Proxy response \((\d+)\)/.exec(message);
    if (tunnel || /Proxy Authentication Required/.test(message)) {
        const status = tunnel ? Number(tunnel[1]) : 407;
        if (status === 407)
            return {
                code: 'PROXY',
                reason: `${where} asks for credentials (HTTP 407 Proxy Authentication Required)`,
                hint: `Put them in ${proxy?.variable ?? 'the proxy variable'}: http://user:password@host:port (URL-encode special characters).`,
                retryable: false,
            };
        return {
            code: 'PROXY',
            reason: `${where} refused to connect to ${target.host} (HTTP ${status})`,
            hint: proxyHint.trim(),
            retryable: status >= 500,
        };
    }
    if (TLS_TRUST_CODES.test(code))
        return {
            code: 'TLS',
            reason: `the TLS certificate of ${target.host} is not trusted (${code}: ${message.replace(/;.*$/, '')})`,
            hint: "If the server uses a certificate from a private CA (common for GitHub Enterprise Server), set NODE_EXTRA_CA_CERTS to the CA's PEM file in the job's env.",
            retryable: false,
        };
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
        return {
            code: 'TLS',
            reason: `the TLS handshake with ${target.host} failed (${code})`,
            hint: 'Check that the URL has the right scheme and port: does the server speak https there?',
            retryable: false,
        };
    if (message === 'bad port')
        return {
            code: 'INVALID_REQUEST',
            reason: `port ${target.port} is one fetch refuses to connect to (a "bad port", reserved for other protocols)`,
            hint: 'Serve the API on another port.',
            retryable: false,
        };
    switch (code) {
        case 'ECONNREFUSED':
            return {
                code,
                reason: `connection refused (ECONNREFUSED) by ${where}`,
                hint: proxy ? proxyHint.trim() : 'Check the URL and that the server is up and reachable from the runner.',
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
        case 'UND_ERR_SOCKET':
        case 'EPIPE':
            return { code, reason: `the connection to ${where} was closed before an answer came (${code})`, retryable: true };
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
            return {
                code,
                reason: `connecting to ${where} timed out (${code})`,
                hint: proxy ? proxyHint.trim() : 'Check that the runner can reach the server (firewall, HTTPS_PROXY).',
                retryable: true,
            };
        default:
            // Without a cause, fetch refused the request itself (a bad URL or header): trying again cannot help.
            if (cause === error)
                return { code: 'INVALID_REQUEST', reason: message, retryable: false };
            return { code: code || 'NETWORK', reason: code ? `${message} (${code})` : message, retryable: true };
    }
}
let undiciModule;
const loadUndici = () => (undiciModule ??= __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 4371, 19)));
function isJsonType(contentType) {
    return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType?.trim() ?? '');
}
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
class RequestProblem extends Error {
    code;
    hint;
    constructor(code, reason, hint) {
        super(reason);
        this.code = code;
        this.hint = hint;
    }
}
function buildRequest(request, userAgent) {
    if (request.json !== undefined && request.form !== undefined)
        throw new RequestProblem('INVALID_REQUEST', 'the request has both a JSON and a form body');
    const headers = { 'user-agent': userAgent };
    let body;
    if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
    }
    else if (request.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(request.form).toString();
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) {
        // undici's own error would quote the value, which is often a token.
        if (/[\r\n\0]/.test(value) || value !== value.trim())
            throw new RequestProblem('INVALID_REQUEST', `the value of header '${name}' has a line break, a control character or surrounding whitespace`, 'If it comes from a secret, store the secret without a trailing newline or spaces.');
        headers[name.toLowerCase()] = value;
    }
    return { headers, body };
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** Removes every header and form value (the secrets a request carries) from a message. */
function redact(text, request) {
    const url = new URL(request.url);
    const values = [
        ...Object.values(request.headers ?? {}),
        ...Object.values(request.form ?? {}),
        ...[url.username, url.password, safeDecode(url.password)].filter(Boolean),
    ]
        .flatMap((v) => [v, ...v.split(/\s+/)])
        .filter((v) => v.length >= 6)
        .sort((a, b) => b.length - a.length);
    return values.reduce((out, value) => out.split(value).join('***'), text);
}
function createHttpClient(options = {}) {
    const env = options.env ?? process.env;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const maxRetries = options.maxRetries ?? 3;
    const baseDelayMs = options.baseDelayMs ?? 1000;
    const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const random = options.random ?? Math.random;
    const now = options.now ?? Date.now;
    const userAgent = options.userAgent ?? 'app-jwt-action';
    // One direct pool and one per proxy, made on first use and reused, so connections are kept alive.
    const dispatchers = new Map();
    async function dispatcherFor(proxy) {
        const key = proxy ? proxy.url.href : 'direct';
        let dispatcher = dispatchers.get(key);
        if (!dispatcher) {
            const { Agent, ProxyAgent } = await loadUndici();
            // proxyTunnel false: http URLs go to an http proxy as absolute-URI requests, https ones through CONNECT.
            dispatcher = proxy ? new ProxyAgent({ uri: proxy.url.href, proxyTunnel: false }) : new Agent();
            dispatchers.set(key, dispatcher);
        }
        return dispatcher;
    }
    async function attempt(target, method, built, proxy) {
        const { fetch } = await loadUndici();
        const dispatcher = await dispatcherFor(proxy);
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
        }, timeoutMs);
        try {
            const response = await fetch(target, {
                method,
                headers: built.headers,
                body: built.body,
                dispatcher,
                signal: controller.signal,
            });
            const text = await response.text();
            const contentType = response.headers.get('content-type');
            return {
                status: response.status,
                headers: response.headers,
                body: parseBody(text, contentType),
                date: parseDate(response.headers.get('date')),
            };
        }
        catch (error) {
            if (timedOut)
                throw new RequestProblem('TIMEOUT', `timed out after ${formatDuration(timeoutMs)}${proxy ? ` (through the proxy ${describeProxy(proxy)})` : ''}`);
            throw error;
        }
        finally {
            clearTimeout(timer);
        }
    }
    async function request(request) {
        const method = request.method.toUpperCase();
        let target;
        try {
            target = new URL(request.url);
        }
        catch {
            throw new HttpError({
                method,
                url: (0,_api_url_js__WEBPACK_IMPORTED_MODULE_1__/* .hideUserinfo */ .kc)(String(request.url)),
                attempts: 0,
                code: 'INVALID_REQUEST',
                reason: 'not a valid URL',
            });
        }
        const url = (0,_api_url_js__WEBPACK_IMPORTED_MODULE_1__/* .showUrl */ .jr)(target);
        const fail = (attempts, failure, response) => new HttpError({
            method,
            url,
            attempts,
            code: failure.code,
            reason: redact(failure.reason, request),
            hint: failure.hint ? redact(failure.hint, request) : undefined,
            response,
        });
        let built;
        let proxy;
        try {
            if (target.protocol !== 'https:' && target.protocol !== 'http:')
                throw new RequestProblem('INVALID_REQUEST', `${target.protocol} URLs are not supported`);
            if (target.username || target.password)
                throw new RequestProblem('INVALID_REQUEST', 'the URL holds a user name or password', 'Send credentials in a header, never in the URL.');
            built = buildRequest(request, userAgent);
            proxy = chooseProxy(target, env);
        }
        catch (error) {
            if (error instanceof RequestProblem)
                throw fail(0, { code: error.code, reason: error.message, hint: error.hint });
            throw fail(0, { code: 'PROXY', reason: error instanceof Error ? error.message : String(error) });
        }
        for (let attemptNumber = 1;; attemptNumber++) {
            let response;
            let failure;
            try {
                response = await attempt(target, method, built, proxy);
            }
            catch (error) {
                failure =
                    error instanceof RequestProblem
                        ? { code: error.code, reason: error.message, hint: error.hint, retryable: true }
                        : describeNetworkError(error, target, proxy);
            }
            const retriesLeft = attemptNumber <= maxRetries;
            let delayMs;
            let reason;
            if (response) {
                const verdict = retryVerdict(response, now());
                if (!verdict || !retriesLeft)
                    return { ...response, attempts: attemptNumber };
                reason = verdict.reason;
                if (verdict.secondary && verdict.waitMs !== undefined)
                    verdict.waitMs = Math.min(verdict.waitMs, maxRetryAfterMs);
                if (verdict.waitMs !== undefined && verdict.waitMs > maxRetryAfterMs)
                    throw fail(attemptNumber, {
                        code: 'RETRY_AFTER_TOO_LONG',
                        reason: `${verdict.summary}; the server asks to wait ${formatDuration(verdict.waitMs)}, longer than the ${formatDuration(maxRetryAfterMs)} this action waits`,
                        hint: verdict.until ? `Run the job again after ${verdict.until.toISOString()}.` : undefined,
                    }, { ...response, attempts: attemptNumber });
                delayMs = verdict.waitMs ?? backoffDelay(attemptNumber, baseDelayMs, maxRetryAfterMs, random);
            }
            else {
                const problem = failure;
                if (!problem.retryable || !retriesLeft)
                    throw fail(attemptNumber, problem);
                reason = redact(problem.reason, request);
                delayMs = backoffDelay(attemptNumber, baseDelayMs, maxRetryAfterMs, random);
            }
            options.onRetry?.({ method, url, attempt: attemptNumber, maxRetries, delayMs, reason });
            await sleep(delayMs);
        }
    }
    return {
        request,
        close: async () => {
            const all = [...dispatchers.values()];
            dispatchers.clear();
            await Promise.all(all.map((d) => d.close()));
        },
    };
}


/***/ })

};
