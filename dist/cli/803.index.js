export const id = 803;
export const ids = [803];
export const modules = {

/***/ 6803:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createHttpClient: () => (/* binding */ createHttpClient)
/* harmony export */ });
/* unused harmony exports HttpError, bypassesProxy, chooseProxy, formatDuration, parseRetryAfter, SECONDARY_RATE_LIMIT_WAIT_MS, retryVerdict, backoffDelay */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _api_url_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5931);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
// The one HTTP client every API call uses: node:http and node:https, behind the runner's proxy settings, with
// bounded retries for transient faults. It never throws for an HTTP status (the caller knows what a 404 means
// for it); it throws HttpError when the network fails for good, when a request cannot be sent at all, or when
// the server asks for a longer wait than the action is willing to sit through.
//
// Proxies: this module decides per URL which proxy applies (chooseProxy), then hands an http(s) proxy to
// Node's own proxy support (the agent option proxyEnv, holding just that proxy); SOCKS5 proxies it speaks to
// itself (openSocksTunnel). Built-in modules only: a run does not pay for loading an HTTP library.






/** A request that could not get a usable answer. The message never holds headers or bodies. */
class HttpError extends _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .lZ {
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
            if ((0,node_net__WEBPACK_IMPORTED_MODULE_2__.isIP)(host) !== 4 || (0,node_net__WEBPACK_IMPORTED_MODULE_2__.isIP)(cidr[1]) !== 4 || Number(cidr[2]) > 32)
                continue;
            const range = new node_net__WEBPACK_IMPORTED_MODULE_2__.BlockList();
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
/** What the caller's connection through a SOCKS5 proxy ran into; see openSocksTunnel. */
class SocksError extends Error {
    code;
    /** The proxy's reply code to CONNECT, for ERR_SOCKS_REPLY. */
    reply;
    constructor(code, message, reply) {
        super(message);
        this.code = code;
        this.reply = reply;
    }
}
const SOCKS_REPLIES = [
    'succeeded',
    'general SOCKS server failure',
    'connection not allowed by ruleset',
    'network unreachable',
    'host unreachable',
    'connection refused',
    'TTL expired',
    'command not supported',
    'address type not supported',
];
function describeNetworkError(error, target, proxy) {
    const cause = rootCause(error);
    const code = typeof cause.code === 'string' ? cause.code : '';
    const message = typeof cause.message === 'string' ? cause.message.split('\n')[0].trim() : String(error);
    const where = proxy ? `the proxy ${describeProxy(proxy)}` : target.host;
    const proxyHint = proxy
        ? ` If ${target.hostname} should be reached directly, add it to NO_PROXY; otherwise check ${proxy.variable}.`
        : '';
    const variable = proxy?.variable ?? 'the proxy variable';
    if (code === 'ERR_PROXY_TUNNEL') {
        const status = typeof cause.statusCode === 'number' ? cause.statusCode : undefined;
        if (status === 407)
            return {
                code: 'PROXY',
                reason: `${where} asks for credentials (HTTP 407 Proxy Authentication Required)`,
                hint: `Put them in ${variable}: http://user:password@host:port (URL-encode special characters).`,
                retryable: false,
            };
        if (status !== undefined)
            return {
                code: 'PROXY',
                reason: `${where} refused to connect to ${target.host} (HTTP ${status})`,
                hint: proxyHint.trim(),
                retryable: status >= 500,
            };
        if (cause.proxyTunnelTimeout)
            return {
                code: 'TIMEOUT',
                reason: `timed out after ${formatDuration(Number(cause.proxyTunnelTimeout))} (through the proxy ${describeProxy(proxy)})`,
                retryable: true,
            };
        return {
            code: 'PROXY',
            reason: `${where} closed the connection before the tunnel to ${target.host} was open`,
            retryable: true,
        };
    }
    switch (code) {
        case 'ERR_SOCKS_AUTH_REQUIRED':
            return {
                code: 'PROXY',
                reason: `${where} asks for credentials (SOCKS5 user name and password)`,
                hint: `Put them in ${variable}: socks5://user:password@host:port (URL-encode special characters).`,
                retryable: false,
            };
        case 'ERR_SOCKS_AUTH_FAILED':
            return {
                code: 'PROXY',
                reason: `${where} did not accept the user name and password (SOCKS5)`,
                hint: `Check the credentials in ${variable} (URL-encode special characters).`,
                retryable: false,
            };
        case 'ERR_SOCKS_REPLY': {
            const reply = cause.reply ?? 1;
            return {
                code: 'PROXY',
                reason: `${where} could not connect to ${target.host} (SOCKS5: ${SOCKS_REPLIES[reply] ?? `reply ${reply}`})`,
                hint: proxyHint.trim(),
                retryable: [1, 3, 4, 5, 6].includes(reply),
            };
        }
        case 'ERR_SOCKS_PROTOCOL':
            return {
                code: 'PROXY',
                reason: `${where} does not answer as a SOCKS5 proxy (${message})`,
                hint: `Check the scheme and port of the proxy URL in ${variable}.`,
                retryable: false,
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
        case 'EPIPE':
            return { code, reason: `the connection to ${where} was closed before an answer came (${code})`, retryable: true };
        case 'ETIMEDOUT':
            return {
                code,
                reason: `connecting to ${where} timed out (${code})`,
                hint: proxy ? proxyHint.trim() : 'Check that the runner can reach the server (firewall, HTTPS_PROXY).',
                retryable: true,
            };
        default:
            return { code: code || 'NETWORK', reason: code ? `${message} (${code})` : message, retryable: true };
    }
}
// ---------------------------------------------------------------------------------------------------------
// SOCKS5 (RFC 1928, with RFC 1929 user name and password): Node's proxyEnv takes http(s) proxies only.
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
function ipv6Bytes(address) {
    let text = address.replace(/%.*$/, '');
    const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
    if (v4) {
        const [a, b, c, d] = v4.slice(1).map(Number);
        text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const first = head ? head.split(':') : [];
    const last = tail ? tail.split(':') : [];
    const groups = tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill('0'), ...last];
    const bytes = Buffer.alloc(16);
    groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
    return bytes;
}
/** The CONNECT request for host:port: IP addresses as such, names for the proxy to resolve. */
function socksConnectRequest(host, port) {
    const bare = host.replace(/^\[|\]$/g, '');
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16BE(port);
    let address;
    if ((0,node_net__WEBPACK_IMPORTED_MODULE_2__.isIP)(bare) === 4)
        address = Buffer.from([1, ...bare.split('.').map(Number)]);
    else if ((0,node_net__WEBPACK_IMPORTED_MODULE_2__.isIP)(bare) === 6)
        address = Buffer.concat([Buffer.from([4]), ipv6Bytes(bare)]);
    else {
        const name = Buffer.from(bare);
        if (name.length > 255)
            throw new SocksError('ERR_SOCKS_PROTOCOL', 'the host name is too long for SOCKS5');
        address = Buffer.concat([Buffer.from([3, name.length]), name]);
    }
    return Buffer.concat([Buffer.from([5, 1, 0]), address, portBytes]);
}
/** A TCP connection to host:port through the SOCKS5 proxy, once the proxy says it is open. */
function openSocksTunnel(proxy, host, port, timeoutMs) {
    return new Promise((resolve, reject) => {
        const user = Buffer.from(safeDecode(proxy.username));
        const password = Buffer.from(safeDecode(proxy.password));
        const withCredentials = user.length > 0 || password.length > 0;
        const socket = (0,node_net__WEBPACK_IMPORTED_MODULE_2__.connect)({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port) || 1080 });
        let stage = 'method';
        let buffer = Buffer.alloc(0);
        const finish = (error) => {
            if (stage === 'done')
                return;
            stage = 'done';
            socket.setTimeout(0);
            socket.off('readable', onReadable);
            socket.off('end', onEnd);
            // The error listener stays: until the HTTP request adopts the socket, a late error must not go unheard.
            if (error) {
                socket.destroy();
                reject(error);
            }
            else
                resolve(socket);
        };
        const protocolError = (what) => new SocksError('ERR_SOCKS_PROTOCOL', what);
        const sendConnect = () => {
            try {
                socket.write(socksConnectRequest(host, port));
                stage = 'reply';
            }
            catch (error) {
                finish(error);
            }
        };
        // One handshake step from the bytes that have arrived; false when it needs more.
        const step = () => {
            if (stage === 'method') {
                if (buffer.length < 2)
                    return false;
                const [version, method] = buffer;
                buffer = buffer.subarray(2);
                if (version !== 5)
                    finish(protocolError(`it answered with byte ${version}, not SOCKS version 5`));
                else if (method === 0)
                    sendConnect();
                else if (method === 2 && withCredentials) {
                    if (user.length > 255 || password.length > 255)
                        finish(new SocksError('ERR_SOCKS_AUTH_FAILED', 'the user name or password is longer than SOCKS5 allows'));
                    else {
                        socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([password.length]), password]));
                        stage = 'auth';
                    }
                }
                else if (method === 0xff && withCredentials)
                    finish(new SocksError('ERR_SOCKS_AUTH_FAILED', 'the proxy takes no user name and password'));
                else if (method === 0xff || method === 2)
                    finish(new SocksError('ERR_SOCKS_AUTH_REQUIRED', 'the proxy asks for a user name and password'));
                else
                    finish(protocolError(`it asks for authentication method ${method}`));
                return true;
            }
            if (stage === 'auth') {
                if (buffer.length < 2)
                    return false;
                const status = buffer[1];
                buffer = buffer.subarray(2);
                if (status === 0)
                    sendConnect();
                else
                    finish(new SocksError('ERR_SOCKS_AUTH_FAILED', 'the proxy refused the user name and password'));
                return true;
            }
            if (stage === 'reply') {
                if (buffer.length < 2)
                    return false;
                if (buffer[0] !== 5)
                    finish(protocolError(`its reply has version ${buffer[0]}, not 5`));
                else if (buffer[1] !== 0)
                    finish(new SocksError('ERR_SOCKS_REPLY', `the proxy answered ${buffer[1]}`, buffer[1]));
                else {
                    if (buffer.length < 5)
                        return false;
                    const type = buffer[3];
                    const addressLength = type === 1 ? 4 : type === 4 ? 16 : type === 3 ? 1 + buffer[4] : -1;
                    if (addressLength < 0)
                        finish(protocolError(`its reply has address type ${type}`));
                    else {
                        if (buffer.length < 6 + addressLength)
                            return false;
                        const rest = buffer.subarray(6 + addressLength);
                        finish();
                        if (rest.length)
                            socket.unshift(rest);
                    }
                }
                return true;
            }
            return false;
        };
        // Paused-mode reads, as Node's own CONNECT tunnel does: once this listener is gone the stream is neither
        // flowing nor paused, so whoever reads next (the HTTP parser, or TLS) gets every byte.
        const onReadable = () => {
            const handshaking = () => stage !== 'done';
            let chunk;
            while (handshaking() && (chunk = socket.read()) !== null) {
                buffer = Buffer.concat([buffer, chunk]);
                while (step())
                    ;
            }
        };
        const onEnd = () => finish(Object.assign(new Error('the SOCKS5 proxy closed the connection'), { code: 'ECONNRESET' }));
        socket.once('connect', () => socket.write(Buffer.from(withCredentials ? [5, 2, 0, 2] : [5, 1, 0])));
        socket.on('readable', onReadable);
        socket.on('end', onEnd);
        socket.on('error', (error) => finish(error));
        socket.setTimeout(timeoutMs, () => finish(Object.assign(new Error('the SOCKS5 handshake timed out'), { code: 'ETIMEDOUT' })));
    });
}
// ---------------------------------------------------------------------------------------------------------
// The client
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
/** The body as sent: undone content codings (none are asked for, but a server or proxy may use them anyway). */
async function decodeBody(body, contentEncoding) {
    const codings = (contentEncoding ?? '')
        .toLowerCase()
        .split(',')
        .map((coding) => coding.trim())
        .filter((coding) => coding && coding !== 'identity');
    if (!codings.length || !body.length)
        return body;
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
class RequestProblem extends Error {
    code;
    hint;
    retryable;
    constructor(code, reason, hint, retryable = true) {
        super(reason);
        this.code = code;
        this.hint = hint;
        this.retryable = retryable;
    }
}
function buildRequest(request, userAgent) {
    if (request.json !== undefined && request.form !== undefined)
        throw new RequestProblem('INVALID_REQUEST', 'the request has both a JSON and a form body');
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
            throw new RequestProblem('INVALID_REQUEST', `the value of header '${name}' has a line break, a control character or surrounding whitespace`, 'If it comes from a secret, store the secret without a trailing newline or spaces.');
        headers[name.toLowerCase()] = value;
    }
    return { headers, body };
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
function isSocks(proxy) {
    return proxy.url.protocol === 'socks5:' || proxy.url.protocol === 'socks:';
}
// Keep-alive, so the requests of a run share connections. Idle sockets are unref'd by Node, so they never keep
// the process alive, and are closed after 4 s, before servers tend to drop them.
const AGENT_OPTIONS = { keepAlive: true, timeout: 4000 };
/** An agent whose connections go through the SOCKS5 proxy; TLS, for https, runs inside the tunnel. */
function socksAgent(secure, proxy) {
    const agent = secure ? new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent(AGENT_OPTIONS) : new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent(AGENT_OPTIONS);
    // An overriding createConnection may hand over its socket later, through the callback; the agent waits.
    agent.createConnection = (options, callback) => {
        const done = callback;
        openSocksTunnel(proxy, options.host ?? 'localhost', Number(options.port), Number(options.timeout) || 10_000).then((socket) => done(null, secure ? (0,node_tls__WEBPACK_IMPORTED_MODULE_3__.connect)({ ...options, socket }) : socket), (error) => done(error));
        return undefined;
    };
    return agent;
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
    // One agent per scheme and proxy choice, made on first use and reused, so connections are kept alive. Each
    // proxied agent gets a proxyEnv that holds just its proxy: chooseProxy has already applied NO_PROXY.
    const agents = new Map();
    function agentFor(target, proxy) {
        const secure = target.protocol === 'https:';
        const key = `${target.protocol} ${proxy ? proxy.url.href : 'direct'}`;
        let agent = agents.get(key);
        if (!agent) {
            if (proxy && isSocks(proxy))
                agent = socksAgent(secure, proxy.url);
            else if (secure)
                agent = new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent({ ...AGENT_OPTIONS, proxyEnv: proxy ? { HTTPS_PROXY: proxy.url.href } : {} });
            else
                agent = new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent({ ...AGENT_OPTIONS, proxyEnv: proxy ? { HTTP_PROXY: proxy.url.href } : {} });
            agents.set(key, agent);
        }
        return agent;
    }
    function attempt(target, method, built, proxy) {
        const headers = { ...built.headers };
        // As fetch does: a body's length, and 0 for a POST or PUT without one.
        if (!('content-length' in headers) && (built.body !== undefined || method === 'POST' || method === 'PUT'))
            headers['content-length'] = String(Buffer.byteLength(built.body ?? ''));
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
                else
                    reject(error);
            };
            // One deadline for the whole attempt: connecting, any proxy handshake, sending, and reading the body.
            const timer = setTimeout(() => {
                settle(new RequestProblem('TIMEOUT', `timed out after ${formatDuration(timeoutMs)}${proxy ? ` (through the proxy ${describeProxy(proxy)})` : ''}`));
                req?.destroy();
            }, timeoutMs);
            let agent;
            try {
                agent = agentFor(target, proxy);
            }
            catch {
                // Node's message would quote the proxy URL, password included.
                settle(new RequestProblem('PROXY', `${proxy?.variable} holds a proxy URL Node cannot use`, undefined, false));
                return;
            }
            try {
                const send = target.protocol === 'https:' ? node_https__WEBPACK_IMPORTED_MODULE_1__.request : node_http__WEBPACK_IMPORTED_MODULE_0__.request;
                // timeout also bounds the setting up of a CONNECT tunnel or SOCKS5 connection, which the request
                // cannot cancel before it has its socket; its own 'timeout' events are left unheard.
                req = send(target, { method, headers, agent, timeout: timeoutMs });
            }
            catch (error) {
                // Node refused the request before sending it (a method or header it cannot send): no retry can help.
                settle(new RequestProblem('INVALID_REQUEST', error instanceof Error ? error.message : String(error), undefined, false));
                return;
            }
            req.on('error', (error) => settle(error));
            req.on('response', (res) => {
                if (res.statusCode === 407 && proxy && !isSocks(proxy) && target.protocol === 'http:') {
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
                res.on('end', () => {
                    const responseHeaders = new ResponseHeaders(res.headers);
                    decodeBody(Buffer.concat(chunks), responseHeaders.get('content-encoding')).then((body) => settle(undefined, {
                        status: res.statusCode ?? 0,
                        headers: responseHeaders,
                        body: parseBody(body.toString('utf8'), responseHeaders.get('content-type')),
                        date: parseDate(responseHeaders.get('date')),
                    }), (error) => settle(error));
                });
            });
            req.end(built.body);
        });
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
                url: (0,_api_url_js__WEBPACK_IMPORTED_MODULE_4__/* .hideUserinfo */ .kc)(String(request.url)),
                attempts: 0,
                code: 'INVALID_REQUEST',
                reason: 'not a valid URL',
            });
        }
        const url = (0,_api_url_js__WEBPACK_IMPORTED_MODULE_4__/* .showUrl */ .jr)(target);
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
                        ? { code: error.code, reason: error.message, hint: error.hint, retryable: error.retryable }
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
            for (const agent of agents.values())
                agent.destroy();
            agents.clear();
        },
    };
}


/***/ })

};
