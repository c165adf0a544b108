export const id = 992;
export const ids = [992];
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

/***/ 4992:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  KEY_VAULT_DOMAINS: () => (/* binding */ KEY_VAULT_DOMAINS),
  azureKey: () => (/* binding */ azureKey),
  isKeyVaultHost: () => (/* binding */ isKeyVaultHost)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@azure/keyvault-keys/dist/esm/index.js + 55 modules
var esm = __webpack_require__(9745);
// EXTERNAL MODULE: ./src/http/limits.ts
var limits = __webpack_require__(3938);
// EXTERNAL MODULE: ./src/http/network-errors.ts
var network_errors = __webpack_require__(8360);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 174 modules
var dist_esm = __webpack_require__(8578);
// EXTERNAL MODULE: ./src/keys/kms/remote-key.ts
var remote_key = __webpack_require__(5164);
;// CONCATENATED MODULE: ./src/keys/kms/azure-credentials.ts
// Azure credentials for Key Vault: @azure/identity's DefaultAzureCredential, which finds them as cosign does (a client
// secret or a workload-identity federated token file in the environment, or the Azure CLI session azure/login leaves),
// the environment's secrets masked before any request, and each refusal by Entra ID or missing credential as its fix.



/** Variables whose values are secrets, whichever credential reads them. */
const SECRET_VARIABLES = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_PASSWORD'];
const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** As many tries as the action's own retry policy: three retries, from 1 s, doubling. */
const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 8000 };
const firstLine = (text) => text.split(/\r?\n/)[0].trim();
const isSet = (value) => value !== undefined && value.trim() !== '';
/** The secrets of the environment, masked before any request: AZURE_CLIENT_SECRET and the like, the federated token. */
function maskEnvironmentSecrets(key, env, mask) {
    for (const name of SECRET_VARIABLES) {
        const value = env[name];
        if (value === undefined || value.trim() === '')
            continue;
        mask(value);
        if (value.trim() !== value)
            mask(value.trim());
    }
    const file = env.AZURE_FEDERATED_TOKEN_FILE;
    if (!isSet(file))
        return;
    let token;
    try {
        token = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (error) {
        const code = error.code ?? 'unreadable';
        throw new remote_key/* KmsError */.M(`${key.uri}: AZURE_FEDERATED_TOKEN_FILE names ${file}, which cannot be read (${code}). Write the federated token (for GitHub, the job's OIDC token for the audience api://AzureADTokenExchange) to that file before this step, or unset the variable.`);
    }
    if (token.trim()) {
        mask(token);
        if (token.trim() !== token)
            mask(token.trim());
    }
}
function readAuthorityHost(key, env) {
    const text = env.AZURE_AUTHORITY_HOST?.trim();
    if (!text)
        return undefined;
    let url;
    try {
        url = new URL(text);
    }
    catch {
        url = undefined;
    }
    if (!url || url.protocol !== 'https:' || url.username || url.password)
        throw new remote_key/* KmsError */.M(`${key.uri}: AZURE_AUTHORITY_HOST must be the https URL of your cloud's Entra ID login host, such as https://login.microsoftonline.us; leave it unset for Azure's public cloud.`);
    return text;
}
/** Every access token the credential hands out is masked before the client sends it. */
function maskingCredential(inner, mask) {
    return {
        async getToken(scopes, options) {
            const token = await inner.getToken(scopes, options);
            if (token?.token)
                mask(token.token);
            return token;
        },
    };
}
/** DefaultAzureCredential's chain, with instance discovery off for a vault outside the Key Vault domains. */
function azureCredential(key, authorityHost, microsoftVault, mask) {
    let credential;
    try {
        credential = new dist_esm/* DefaultAzureCredential */.gv({
            authorityHost,
            disableInstanceDiscovery: !microsoftVault,
            retryOptions: RETRY_OPTIONS,
        });
    }
    catch (error) {
        // An AZURE_TOKEN_CREDENTIALS value the chain does not know: its message names the valid ones.
        throw new remote_key/* KmsError */.M(`${key.uri}: ${firstLine(error instanceof Error ? error.message : String(error))}`);
    }
    return maskingCredential(credential, mask);
}
// ---------------------------------------------------------------------------------------------------------
// Entra ID's refusals, and no credentials at all
/** The server's AADSTS sentence, without the trace details Entra appends. */
function aadstsOf(message) {
    const match = /AADSTS(\d+):\s*([\s\S]*?)(?:\s+Trace ID:|\s+-\s+Correlation ID:|,\s*$|$)/.exec(message);
    return match ? { code: Number(match[1]), text: `AADSTS${match[1]}: ${match[2].trim()}` } : undefined;
}
const FEDERATED_CODES = [70021, 700211, 700212, 700213, 700024, 50013, 50027];
/** Entra ID's refusal, or another failure of a credential that was configured; undefined when not recognized. */
function credentialFailure(message, context) {
    const { uri } = context.key;
    const env = context.env;
    const tenant = /not configured to acquire tokens for tenant (\S+?)\.?(?:\s|$)/.exec(message)?.[1];
    if (tenant)
        return new remote_key/* KmsError */.M(`${uri}: the vault belongs to tenant ${tenant} (Key Vault's challenge names it), but the credentials are for ${isSet(env.AZURE_TENANT_ID) ? `tenant ${env.AZURE_TENANT_ID?.trim()} (AZURE_TENANT_ID)` : 'another tenant'}. Sign in to tenant ${tenant}: set AZURE_TENANT_ID (or azure/login's tenant-id) to it.`);
    const aadsts = aadstsOf(message);
    const clientId = env.AZURE_CLIENT_ID?.trim() || 'the application';
    if (aadsts) {
        switch (aadsts.code) {
            case 7000215:
                return new remote_key/* KmsError */.M(`${uri}: Entra ID refused the client secret of application ${clientId} (AADSTS7000215: invalid client secret). Put the secret's Value, not its Secret ID, in AZURE_CLIENT_SECRET, or create a new client secret.`);
            case 7000222:
                return new remote_key/* KmsError */.M(`${uri}: the client secret in AZURE_CLIENT_SECRET has expired (AADSTS7000222). Create a new client secret for application ${clientId} and update AZURE_CLIENT_SECRET.`);
            case 700016:
                return new remote_key/* KmsError */.M(`${uri}: Entra ID knows no application ${clientId} in tenant ${env.AZURE_TENANT_ID?.trim() || 'of the vault'} (AADSTS700016). Check AZURE_CLIENT_ID (the application's client ID) and AZURE_TENANT_ID.`);
            case 90002:
                return new remote_key/* KmsError */.M(`${uri}: Entra ID has no tenant ${env.AZURE_TENANT_ID?.trim() || 'of that ID'} (AADSTS90002). Check AZURE_TENANT_ID, and AZURE_AUTHORITY_HOST for a national cloud.`);
            case 700024:
                return new remote_key/* KmsError */.M(`${uri}: the federated token in AZURE_FEDERATED_TOKEN_FILE is expired or not yet valid (AADSTS700024). Write a fresh token to the file right before this step.`);
        }
        if (FEDERATED_CODES.includes(aadsts.code))
            return new remote_key/* KmsError */.M(`${uri}: Entra ID refused the federated token in AZURE_FEDERATED_TOKEN_FILE for application ${clientId}: ${aadsts.text} Add a federated credential with the token's issuer, subject and audience to the application (for GitHub: subject repo:OWNER/REPO:…, audience api://AzureADTokenExchange).`);
        return new remote_key/* KmsError */.M(`${uri}: Entra ID refused to issue a token for Key Vault: ${aadsts.text}`);
    }
    if (/endpoints_resolution_error|network_error/.test(message))
        return new remote_key/* KmsError */.M(`${uri}: could not reach Entra ID at ${context.authorityHost} to get a token for Key Vault (${/endpoints_resolution_error/.test(message) ? 'its endpoints could not be read' : 'network error'}). Check that the runner can reach it${isSet(env.AZURE_AUTHORITY_HOST) ? ', and AZURE_AUTHORITY_HOST' : ' (HTTPS_PROXY, firewall)'}.`);
    return undefined;
}
/** Every credential of DefaultAzureCredential's chain passed: a refusal among them, or no credentials at all. */
function credentialChainFailure(errors, context) {
    const messages = errors.map((error) => error.message ?? '');
    const prefer = [
        messages.find((m) => /not configured to acquire tokens for tenant/.test(m)),
        messages.find((m) => /AADSTS\d+/.test(m)),
    ];
    for (const message of prefer) {
        const failure = message && credentialFailure(message, context);
        if (failure)
            return failure;
    }
    const env = context.env;
    const cli = messages.some((m) => /Azure CLI could not be found/.test(m))
        ? ' (the Azure CLI, az, is not installed on this runner)'
        : messages.some((m) => /az login/.test(m))
            ? ' (the Azure CLI has no signed-in session)'
            : '';
    const names = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_FEDERATED_TOKEN_FILE'];
    const present = names.filter((name) => isSet(env[name]));
    const partial = present.length
        ? ` Of these, only ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set.`
        : '';
    return new remote_key/* KmsError */.M(`${context.key.uri}: no Azure credentials were found to sign with Key Vault. Sign in before this step with azure/login, which leaves an Azure CLI session${cli}; or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal's client secret); or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (workload identity federation).${partial}`);
}

;// CONCATENATED MODULE: ./src/keys/kms/azure.ts
// Azure Key Vault keys (azurekms://VAULT.vault.azure.net/KEY[/VERSION]) through Azure's own clients, with the
// credential of azure-credentials.ts. @azure/keyvault-keys answers Key Vault's 401 challenge with the token, reads
// the key (its JWK: the public key, the key type, key_ops, enabled, nbf/exp) once, and signs each digest with RS256.
//
// Azure's clients refuse a host that is not Microsoft's unless instance discovery (MSAL asking
// login.microsoftonline.com about the authority) and the challenge's resource check are turned off. They are
// turned off only for a vault outside the Key Vault domains (an emulator, a test double): never for a real vault.






/** The hosts of Key Vault and Managed HSM in Azure's clouds (public, China, US Government, Germany). */
const KEY_VAULT_DOMAINS = [
    'vault.azure.net',
    'vault.azure.cn',
    'vault.usgovcloudapi.net',
    'vault.microsoftazure.de',
    'managedhsm.azure.net',
    'managedhsm.azure.cn',
    'managedhsm.usgovcloudapi.net',
    'managedhsm.microsoftazure.de',
];
function isKeyVaultHost(hostname) {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return KEY_VAULT_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
const DATA_ACTIONS = { get: 'Microsoft.KeyVault/vaults/keys/read', sign: 'Microsoft.KeyVault/vaults/keys/sign/action' };
async function azureKey(key, deps) {
    const env = deps.env;
    const host = new URL(key.vaultUrl).hostname;
    const microsoftVault = isKeyVaultHost(host);
    maskEnvironmentSecrets(key, env, deps.mask);
    const authorityHost = readAuthorityHost(key, env);
    if (!microsoftVault)
        deps.log.info(`${host} is not a Key Vault host (${KEY_VAULT_DOMAINS.join(', ')}): Entra ID instance discovery and the check of Key Vault's challenge resource are off for it, as for an emulator.`);
    const { deadline } = await deps.transport();
    const context = {
        key,
        env,
        host,
        authorityHost: authorityHost ?? DEFAULT_AUTHORITY_HOST,
        vaultName: microsoftVault ? host.split('.')[0] : undefined,
        deadline,
    };
    const credential = azureCredential(key, authorityHost, microsoftVault, deps.mask);
    const clientOptions = { disableChallengeResourceVerification: !microsoftVault, retryOptions: RETRY_OPTIONS };
    const requestOptions = () => ({
        abortSignal: deadline.signal,
        requestOptions: { timeout: limits/* DEFAULT_LIMITS */.dR.requestTimeoutMs },
    });
    const keys = new esm/* KeyClient */.xp(key.vaultUrl, credential, clientOptions);
    let fetched;
    const fetchKey = () => (fetched ??= (async () => {
        let vaultKey;
        try {
            vaultKey = await keys.getKey(key.keyName, { version: key.version, ...requestOptions() });
        }
        catch (error) {
            throw explain(error, context, 'get');
        }
        const publicKey = checkedPublicKey(vaultKey, context);
        deps.log.debug(`${key.uri}: Key Vault key ${vaultKey.id ?? key.keyName} (${vaultKey.keyType}).`);
        return { publicKey, signer: new esm/* CryptographyClient */.k1(vaultKey, credential, clientOptions) };
    })());
    return {
        uri: key.uri,
        async publicKey() {
            return (await fetchKey()).publicKey;
        },
        async signDigest(digest) {
            const { signer } = await fetchKey();
            try {
                return Buffer.from((await signer.sign('RS256', digest, requestOptions())).result);
            }
            catch (error) {
                throw explain(error, context, 'sign');
            }
        },
    };
}
// ---------------------------------------------------------------------------------------------------------
// The key: what can make RS256 signatures
const bytesToBase64url = (bytes) => (bytes ? Buffer.from(bytes).toString('base64url') : '');
function keySetAttributes(context, version, change) {
    const vault = context.vaultName ?? 'VAULT';
    return `az keyvault key set-attributes --vault-name ${vault} --name ${context.key.keyName}${version ? ` --version ${version}` : ''} ${change}`;
}
function checkedPublicKey(vaultKey, context) {
    const { uri } = context.key;
    const jwk = vaultKey.key;
    const keyType = String(vaultKey.keyType ?? jwk?.kty ?? 'unknown');
    const version = vaultKey.properties.version;
    const vault = context.vaultName ?? 'VAULT';
    if (!keyType.startsWith('RSA')) {
        const kind = keyType.startsWith('EC')
            ? `an EC key (${keyType}, curve ${jwk?.crv ?? 'unknown'})`
            : keyType.startsWith('oct')
                ? `a symmetric key (${keyType})`
                : `a ${keyType} key`;
        throw new remote_key/* KmsError */.M(`${uri} is ${kind}; RS256 JWTs need an RSA key (RSA or RSA-HSM, 2048 bits or more). Import the app's private key as a new key (az keyvault key import --vault-name ${vault} --name NEW_NAME --pem-file app.pem --ops sign verify) and name that in kms-key.`);
    }
    if (vaultKey.properties.enabled === false)
        throw new remote_key/* KmsError */.M(`${uri}: key version ${version} is disabled, so Key Vault will not sign with it. Enable it (${keySetAttributes(context, version, '--enabled true')}) or name an enabled version.`);
    const now = Date.now();
    const { notBefore, expiresOn } = vaultKey.properties;
    if (expiresOn && now >= expiresOn.getTime())
        throw new remote_key/* KmsError */.M(`${uri}: key version ${version} expired at ${expiresOn.toISOString()} (its expiration date), so Key Vault will not sign with it. Name a current version, or move the date (${keySetAttributes(context, version, '--expires YYYY-MM-DDTHH:MM:SSZ')}).`);
    if (notBefore && now < notBefore.getTime())
        throw new remote_key/* KmsError */.M(`${uri}: key version ${version} is not valid before ${notBefore.toISOString()} (its activation date), so Key Vault will not sign with it yet. Name a current version, or move the date (${keySetAttributes(context, version, '--not-before YYYY-MM-DDTHH:MM:SSZ')}).`);
    const operations = vaultKey.keyOperations ?? jwk?.keyOps ?? [];
    if (!operations.includes('sign'))
        throw new remote_key/* KmsError */.M(`${uri}: the key's permitted operations (key_ops: ${operations.join(', ') || 'none'}) do not include sign. Allow it (${keySetAttributes(context, undefined, '--ops sign verify')}).`);
    if (!jwk?.n || !jwk.e)
        throw new remote_key/* KmsError */.M(`${uri}: Key Vault answered without the key's public modulus and exponent; the key cannot be checked.`);
    return (0,external_node_crypto_.createPublicKey)({
        key: { kty: 'RSA', n: bytesToBase64url(jwk.n), e: bytesToBase64url(jwk.e) },
        format: 'jwk',
    });
}
function explain(error, context, step) {
    if (error instanceof remote_key/* KmsError */.M)
        return error;
    const e = (error ?? {});
    if (e.name === 'AbortError' || e.name === 'DeadlineReached')
        return new remote_key/* KmsError */.M(`${context.key.uri}: ${context.deadline.describe()} passed while waiting for Key Vault or Entra ID.`);
    if (e.name === 'AggregateAuthenticationError')
        return credentialChainFailure(e.errors ?? [], context);
    if (e.name === 'AuthenticationError' ||
        e.name === 'AuthenticationRequiredError' ||
        e.name === 'CredentialUnavailableError')
        return credentialFailure(e.message ?? '', context) ?? unexpected(e, context, step);
    if (e.name === 'RestError')
        return e.statusCode ? keyVaultRefusal(e, context, step) : networkFailure(e, context);
    return unexpected(e, context, step);
}
function unexpected(e, context, step) {
    const doing = step === 'get' ? 'reading the key from Key Vault' : 'signing with Key Vault';
    return new remote_key/* KmsError */.M(`${context.key.uri}: ${doing} failed: ${firstLine(e.message ?? String(e))}`);
}
function networkFailure(e, context) {
    const target = new URL(e.request?.url ?? context.key.vaultUrl);
    const failure = (0,network_errors/* describeNetworkError */.g)(e, target, undefined);
    return new remote_key/* KmsError */.M(`${context.key.uri}: could not reach Key Vault at ${target.host}: ${failure.reason}.${failure.hint ? ` ${failure.hint}` : ''}`);
}
function keyVaultRefusal(e, context, step) {
    const { uri, keyName, version } = context.key;
    const body = e.details?.error;
    const code = body?.code ?? e.code ?? '';
    const inner = body?.innerError?.code ?? '';
    const message = body?.message ?? e.message ?? '';
    const status = e.statusCode ?? 0;
    const principal = /appid=([^;]+)/.exec(message)?.[1];
    const objectId = /oid=([^;]+)/.exec(message)?.[1];
    const who = principal ? `application ${principal}` : 'the signed-in identity';
    const permission = step === 'get' ? 'get' : 'sign';
    if (status === 401)
        return new remote_key/* KmsError */.M(`${uri}: Key Vault refused the access token from Entra ID (${firstLine(message).replace(/\.$/, '')}). ${/AKV10032/.test(message) ? 'The token is from another tenant than the vault: sign in to the tenant of the vault.' : 'Sign in again (azure/login), or check the AZURE_* variables.'}`);
    if (status === 403) {
        if (inner === 'ForbiddenByRbac') {
            const resource = /Resource: '([^']+)'/.exec(message)?.[1];
            return new remote_key/* KmsError */.M(`${uri}: Key Vault (Azure RBAC) denied ${who} the data action ${DATA_ACTIONS[permission]} on key ${keyName}. Assign it a role with ${DATA_ACTIONS.get} and ${DATA_ACTIONS.sign} on the key or the vault (the built-in Key Vault Crypto User has both): az role assignment create --role "Key Vault Crypto User" --assignee-object-id ${objectId ?? 'OBJECT_ID'} --scope ${resource ?? 'KEY_OR_VAULT_RESOURCE_ID'}`);
        }
        if (inner === 'ForbiddenByPolicy' || /does not have keys \w+ permission/.test(message))
            return new remote_key/* KmsError */.M(`${uri}: Key Vault (access policy) denied ${who} the key permission '${permission}'. Grant it the key permissions get and sign: az keyvault set-policy --name ${context.vaultName ?? 'VAULT'} --object-id ${objectId ?? 'OBJECT_ID'} --key-permissions get sign`);
        if (inner === 'KeyDisabled' || /disabled key/.test(message))
            return new remote_key/* KmsError */.M(`${uri}: the key${version ? ` version ${version}` : ''} is disabled, so Key Vault will not sign with it. Enable it (${keySetAttributes(context, version, '--enabled true')}) or name an enabled version.`);
        if (inner === 'ForbiddenByFirewall' || /Client address is not authorized/.test(message))
            return new remote_key/* KmsError */.M(`${uri}: the vault's firewall does not let this runner in (${firstLine(message).replace(/\.$/, '')}). Allow the runner's address in the vault's networking settings, or run the job where the vault is reachable.`);
        return new remote_key/* KmsError */.M(`${uri}: Key Vault refused to ${step === 'get' ? 'read' : 'sign with'} the key (HTTP 403 ${code}${inner ? `/${inner}` : ''}): ${firstLine(message)}`);
    }
    if (status === 404 && code === 'KeyNotFound')
        return new remote_key/* KmsError */.M(version
            ? `${uri}: Key Vault has no version ${version} of key ${keyName} (KeyNotFound). Check the version in kms-key, or leave it out to sign with the key's current version.`
            : `${uri}: the vault ${context.host} has no key named ${keyName} (KeyNotFound). Check the name in kms-key; a key deleted recently can be recovered: az keyvault key recover --vault-name ${context.vaultName ?? 'VAULT'} --name ${keyName}`);
    const passing = status === 429 || status >= 500 ? ' This may pass: run the job again.' : '';
    return new remote_key/* KmsError */.M(`${uri}: Key Vault answered HTTP ${status}${code ? ` ${code}` : ''} to the ${step === 'get' ? 'key read' : 'sign request'}: ${firstLine(message).replace(/\.$/, '')}.${passing}`);
}


/***/ })

};
