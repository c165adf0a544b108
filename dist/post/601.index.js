export const id = 601;
export const ids = [601];
export const modules = {

/***/ 5931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   jr: () => (/* binding */ showUrl),
/* harmony export */   kc: () => (/* binding */ hideUserinfo),
/* harmony export */   we: () => (/* binding */ joinUrl),
/* harmony export */   xA: () => (/* binding */ parseApiBase)
/* harmony export */ });
/* unused harmony exports ApiUrlError, parseApiUrl */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);


/** An API URL input that cannot be used; the message names the input, the problem and the fix. */
class ApiUrlError extends _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz {
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
/** The API base from an input, as parseApiUrl checks it, without a trailing slash: ready for joinUrl. */
function parseApiBase(value, inputName) {
    return withoutTrailingSlash(parseApiUrl(value, inputName));
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
    /** The message without the input's name, for front ends that name inputs differently (the CLI's flags). */
    detail;
    constructor(input, detail) {
        super(`Input '${input}': ${detail}`);
        this.input = input;
        this.detail = detail;
    }
}
function describeFailure(error) {
    if (error instanceof ActionError)
        return error.message;
    return `app-jwt-action failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. Please report this with the step's log.`;
}


/***/ }),

/***/ 9601:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createHttpClient: () => (/* binding */ createHttpClient)
});

// UNUSED EXPORTS: HttpError

// EXTERNAL MODULE: ./src/api-url.ts
var api_url = __webpack_require__(5931);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./src/http-failure.ts
// The words the HTTP client's parts use to say why a request got no usable answer. The client turns a Failure
// into an HttpError once it knows the attempts made; the parts that find one do not know the count.
/** A Failure thrown, so that it can leave a callback or a Promise on its way to the retry loop. */
class RequestProblem extends Error {
    failure;
    constructor(failure) {
        super(failure.reason);
        this.failure = failure;
    }
}

;// CONCATENATED MODULE: ./src/http-response.ts
/** The response's headers; repeated ones are joined with ', ', as fetch's Headers does. */
class ResponseHeaders {
    #headers;
    constructor(headers) {
        this.#headers = headers;
    }
    get(name) {
        const value = this.#headers[name.toLowerCase()];
        if (value === undefined)
            return null;
        return Array.isArray(value) ? value.join(', ') : value;
    }
}
// application/json, and the +json types such as GitHub's application/vnd.github+json.
function isJsonType(contentType) {
    return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType?.trim() ?? '');
}
// A body that says it is JSON but does not parse (cut short, or an error page with the wrong type) stays text:
// the caller explains the status, and a parse error would hide it.
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
/** The body as sent: undone content codings (none are asked for, but a server or proxy may use them anyway). */
async function decodeBody(body, contentEncoding) {
    const codings = (contentEncoding ?? '')
        .toLowerCase()
        .split(',')
        .map((coding) => coding.trim())
        .filter((coding) => coding && coding !== 'identity');
    if (!codings.length || !body.length)
        return body;
    // Loaded only for the rare compressed answer, so a run does not pay for it.
    const zlib = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 8522, 23));
    let out = body;
    for (const coding of codings.reverse()) {
        if (coding === 'gzip' || coding === 'x-gzip')
            out = zlib.gunzipSync(out);
        else if (coding === 'deflate')
            out = out[0] === 0x78 ? zlib.inflateSync(out) : zlib.inflateRawSync(out);
        else if (coding === 'br')
            out = zlib.brotliDecompressSync(out);
        else
            break; // An unknown coding: leave the bytes as they are.
    }
    return out;
}
/** The response built from a complete message and its body's bytes; rejects when the body cannot be decoded. */
async function toHttpResponse(message, bytes) {
    const headers = new ResponseHeaders(message.headers);
    const body = await decodeBody(bytes, headers.get('content-encoding'));
    return {
        status: message.statusCode ?? 0,
        headers,
        body: parseBody(body.toString('utf8'), headers.get('content-type')),
        date: parseDate(headers.get('date')),
    };
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/proxy.ts
// Which proxy a request goes through, by the conventions of the runner and @actions/http-client: https URLs use
// https_proxy/HTTPS_PROXY, http URLs http_proxy/HTTP_PROXY (no fallback from one to the other, as curl and
// git); no_proxy/NO_PROXY lists hosts (with their subdomains), host:port, .suffix, *.suffix, IPv4 CIDR ranges,
// or * for all. Only HTTP(S) proxies: that is all the runner and its toolkit speak, so a workflow that works
// for other steps works here too.




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
            if ((0,external_node_net_.isIP)(host) !== 4 || (0,external_node_net_.isIP)(cidr[1]) !== 4 || Number(cidr[2]) > 32)
                continue;
            const range = new external_node_net_.BlockList();
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
/** The proxy as it may be shown: scheme, host and port, never the credentials. */
function describeProxy(proxy) {
    return `${proxy.url.protocol}//${proxy.url.host}`;
}
function settingProblem(reason, hint) {
    return new RequestProblem({ code: 'PROXY', reason, hint, retryable: false });
}
// A value that cannot be used fails the request before it is sent: going direct instead could leak the request
// past a proxy the workflow's author relies on, or hang where only the proxy gets through.
function parseProxyUrl(value, variable, target) {
    const text = value.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        url = undefined;
    }
    if (url?.hostname && /^socks[a-z0-9]*:$/.test(url.protocol))
        throw settingProblem(`${variable} is a SOCKS proxy (${url.protocol}//${url.host}), and SOCKS proxies are not supported`, `Use an HTTP(S) proxy URL (e.g. http://proxy:3128), or add ${target.hostname} to NO_PROXY.`);
    if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname)
        throw settingProblem(`${variable} is set but is not a proxy URL this action can use`, 'Set it like http://proxy.example.com:3128 (or http://user:password@proxy.example.com:3128), or unset it.');
    return url;
}
/**
 * The proxy a request to `target` goes through under `env`, or undefined to connect directly. Throws a
 * RequestProblem (code PROXY) for a proxy variable this client cannot use; the message never quotes its value.
 */
function chooseProxy(target, env) {
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const variable = firstSet(env, names);
    if (!variable)
        return undefined;
    const noProxyName = firstSet(env, ['no_proxy', 'NO_PROXY']);
    if (noProxyName && bypassesProxy(target, env[noProxyName] ?? ''))
        return undefined;
    return { variable, url: parseProxyUrl(env[variable] ?? '', variable, target) };
}
// Keep-alive, so the requests of a run share connections. Idle sockets are unref'd by Node, so they never keep
// the process alive, and are closed after 4 s, before servers tend to drop them.
const AGENT_OPTIONS = { keepAlive: true, timeout: 4000 };
/**
 * One agent per scheme and proxy, made on first use and reused, so connections are kept alive. The proxying
 * itself is Node's (the agent option proxyEnv), given just the chosen proxy: chooseProxy has applied NO_PROXY.
 */
function createAgentPool() {
    const agents = new Map();
    return {
        agentFor(target, proxy) {
            const key = `${target.protocol} ${proxy ? proxy.url.href : 'direct'}`;
            let agent = agents.get(key);
            if (agent)
                return agent;
            try {
                agent =
                    target.protocol === 'https:'
                        ? new external_node_https_.Agent({ ...AGENT_OPTIONS, proxyEnv: proxy ? { HTTPS_PROXY: proxy.url.href } : {} })
                        : new external_node_http_.Agent({ ...AGENT_OPTIONS, proxyEnv: proxy ? { HTTP_PROXY: proxy.url.href } : {} });
            }
            catch {
                // Node's message would quote the proxy URL, password included.
                throw new RequestProblem({
                    code: 'PROXY',
                    reason: `${proxy?.variable} holds a proxy URL Node cannot use`,
                    retryable: false,
                });
            }
            agents.set(key, agent);
            return agent;
        },
        destroy() {
            for (const agent of agents.values())
                agent.destroy();
            agents.clear();
        },
    };
}

;// CONCATENATED MODULE: ./src/retry-policy.ts
/** How a wait or a timeout reads in the log: "300 ms", "7 s", "50 min". */
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
        hint: verdict.until ? `Run the job again after ${verdict.until.toISOString()}.` : undefined,
    };
}
/** Full jitter: a random wait between 0 and base·2^(retry−1), capped. `retry` counts from 1. */
function backoffDelay(retry, baseDelayMs, capMs, random) {
    const ceiling = Math.min(capMs, baseDelayMs * 2 ** (retry - 1));
    return Math.round(Math.min(Math.max(random(), 0), 1) * ceiling);
}

;// CONCATENATED MODULE: ./src/network-errors.ts


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
        reason: `timed out after ${formatDuration(timeoutMs)}${proxy ? ` (through the proxy ${describeProxy(proxy)})` : ''}`,
        retryable: true,
    };
}
/** What went wrong with a request to `target` (through `proxy`) that failed with `error`. */
function describeNetworkError(error, target, proxy) {
    const cause = rootCause(error);
    const code = typeof cause.code === 'string' ? cause.code : '';
    const message = typeof cause.message === 'string' ? cause.message.split('\n')[0].trim() : String(error);
    const where = proxy ? `the proxy ${describeProxy(proxy)}` : target.host;
    const proxyHint = proxy
        ? `If ${target.hostname} should be reached directly, add it to NO_PROXY; otherwise check ${proxy.variable}.`
        : undefined;
    if (code === 'ERR_PROXY_TUNNEL') {
        const status = typeof cause.statusCode === 'number' ? cause.statusCode : undefined;
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
            return { code, reason: `the connection to ${where} was closed before an answer came (${code})`, retryable: true };
        case 'ETIMEDOUT':
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

;// CONCATENATED MODULE: ./src/http-attempt.ts
// One attempt at a request, under one deadline that covers connecting, any proxy tunnel, sending, and reading
// the whole body: a server that stops halfway through an answer is as stuck as one that never answers.
// Whether to try again is the retry loop's business (http.ts); this says only what happened.





/** Sends `wire` once: resolves with the answer, whatever its status, or rejects with a RequestProblem. */
function sendOnce(wire, { agents, proxy, timeoutMs }) {
    const { target, method } = wire;
    return new Promise((resolve, reject) => {
        let req;
        let settled = false;
        const settle = (error, response) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            if (response)
                resolve(response);
            else if (error instanceof RequestProblem)
                reject(error);
            else
                reject(new RequestProblem(describeNetworkError(error, target, proxy)));
        };
        const timer = setTimeout(() => {
            settle(new RequestProblem(timeoutFailure(timeoutMs, proxy)));
            req?.destroy();
        }, timeoutMs);
        try {
            const agent = agents.agentFor(target, proxy);
            const send = target.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
            // timeout also bounds the setting up of a CONNECT tunnel, which the request cannot cancel before it has
            // its socket; its own 'timeout' events are left unheard.
            req = send(target, { method, headers: wire.headers, agent, timeout: timeoutMs });
        }
        catch (error) {
            // Node refused the request before sending it (a method or header it cannot send): no retry can help.
            settle(error instanceof RequestProblem
                ? error
                : new RequestProblem({
                    code: 'INVALID_REQUEST',
                    reason: error instanceof Error ? error.message : String(error),
                    retryable: false,
                }));
            return;
        }
        req.on('error', (error) => settle(error));
        req.on('response', (res) => {
            if (res.statusCode === 407 && proxy && target.protocol === 'http:') {
                // The proxy's answer, not the server's: an http URL goes to an http proxy as an absolute-URI request.
                res.resume();
                settle(Object.assign(new Error('Proxy Authentication Required'), { code: 'ERR_PROXY_TUNNEL', statusCode: 407 }));
                return;
            }
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('error', (error) => settle(error));
            res.on('close', () => {
                if (!res.complete)
                    settle(Object.assign(new Error('the response ended early'), { code: 'ECONNRESET' }));
            });
            res.on('end', () => toHttpResponse(res, Buffer.concat(chunks)).then((response) => settle(undefined, response), (error) => settle(error)));
        });
        req.end(wire.body);
    });
}

;// CONCATENATED MODULE: ./src/http-request.ts
// A request as the callers write it, and the method, headers and body it becomes on the wire. Everything that
// would make the request unsendable or unsafe to send is refused here, before the first attempt: no retry
// could fix it, and a message about it must not quote the secret that caused it.

function refuse(reason, hint) {
    return new RequestProblem({ code: 'INVALID_REQUEST', reason, hint, retryable: false });
}
/** The request to `target` as it will be sent; throws a RequestProblem (INVALID_REQUEST) for one it will not. */
function encodeRequest(request, target, userAgent) {
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
        throw refuse(`${target.protocol} URLs are not supported`);
    if (target.username || target.password)
        throw refuse('the URL holds a user name or password', 'Send credentials in a header, never in the URL.');
    if (request.json !== undefined && request.form !== undefined)
        throw refuse('the request has both a JSON and a form body');
    const method = request.method.toUpperCase();
    const headers = { accept: '*/*', 'user-agent': userAgent };
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
        // Node's own error would not say what to do about it; fetch's quoted the value, which is often a token.
        if (/[\r\n\0]/.test(value) || value !== value.trim())
            throw refuse(`the value of header '${name}' has a line break, a control character or surrounding whitespace`, 'If it comes from a secret, store the secret without a trailing newline or spaces.');
        headers[name.toLowerCase()] = value;
    }
    // As fetch does: a body's length, and 0 for a POST or PUT without one.
    if (!('content-length' in headers) && (body !== undefined || method === 'POST' || method === 'PUT'))
        headers['content-length'] = String(Buffer.byteLength(body ?? ''));
    return { target, method, headers, body };
}

;// CONCATENATED MODULE: ./src/http.ts
// The one HTTP client every API call uses: node:http and node:https, behind the runner's proxy settings, with
// bounded retries for transient faults. It never throws for an HTTP status (the caller knows what a 404 means
// for it); it throws HttpError when the network fails for good, when a request cannot be sent at all, or when
// the server asks for a longer wait than the action is willing to sit through. Built-in modules only: a run
// does not pay for loading an HTTP library.







/** A request that could not get a usable answer. The message never holds headers or bodies. */
class HttpError extends errors/* ActionError */.lZ {
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
// Node's messages can quote what was sent: every header and form value (the secrets a request carries) is
// taken out of them, whole and word by word ("Bearer <token>"); short words would blot out ordinary text.
function redact(text, request) {
    const values = [...Object.values(request.headers ?? {}), ...Object.values(request.form ?? {})]
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
    const agents = createAgentPool();
    async function request(request) {
        const method = request.method.toUpperCase();
        let target;
        try {
            target = new URL(request.url);
        }
        catch {
            throw new HttpError({
                method,
                url: (0,api_url/* hideUserinfo */.kc)(String(request.url)),
                attempts: 0,
                code: 'INVALID_REQUEST',
                reason: 'not a valid URL',
            });
        }
        const url = (0,api_url/* showUrl */.jr)(target);
        const fail = (attempts, failure, response) => new HttpError({
            method,
            url,
            attempts,
            code: failure.code,
            reason: redact(failure.reason, request),
            hint: failure.hint ? redact(failure.hint, request) : undefined,
            response,
        });
        let wire;
        let proxy;
        try {
            wire = encodeRequest(request, target, userAgent);
            proxy = chooseProxy(target, env);
        }
        catch (error) {
            if (error instanceof RequestProblem)
                throw fail(0, error.failure);
            throw error;
        }
        for (let attempt = 1;; attempt++) {
            const outcome = await sendOnce(wire, { agents, proxy, timeoutMs }).then((response) => ({ response: { ...response, attempts: attempt } }), (problem) => ({ failure: problem.failure }));
            const retriesLeft = attempt <= maxRetries;
            let delayMs;
            let reason;
            if ('response' in outcome) {
                const { response } = outcome;
                const verdict = retryVerdict(response, now(), maxRetryAfterMs);
                if (!verdict || !retriesLeft)
                    return response;
                const tooLong = waitTooLong(verdict, maxRetryAfterMs);
                if (tooLong)
                    throw fail(attempt, tooLong, response);
                reason = verdict.reason;
                delayMs = verdict.waitMs ?? backoffDelay(attempt, baseDelayMs, maxRetryAfterMs, random);
            }
            else {
                const { failure } = outcome;
                if (!failure.retryable || !retriesLeft)
                    throw fail(attempt, failure);
                reason = redact(failure.reason, request);
                delayMs = backoffDelay(attempt, baseDelayMs, maxRetryAfterMs, random);
            }
            options.onRetry?.({ method, url, attempt, maxRetries, delayMs, reason });
            await sleep(delayMs);
        }
    }
    return { request, close: async () => agents.destroy() };
}


/***/ })

};
