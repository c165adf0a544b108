export const id = 149;
export const ids = [149];
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

/***/ 7237:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gj: () => (/* binding */ RINGCENTRAL_SERVER),
/* harmony export */   aR: () => (/* binding */ basicAuthorization),
/* harmony export */   eK: () => (/* binding */ RINGCENTRAL_SANDBOX)
/* harmony export */ });
const RINGCENTRAL_SERVER = 'https://platform.ringcentral.com';
const RINGCENTRAL_SANDBOX = 'https://platform.devtest.ringcentral.com';
function basicAuthorization({ clientId, clientSecret }) {
    return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}


/***/ }),

/***/ 3149:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RingCentralError: () => (/* binding */ RingCentralError),
/* harmony export */   describeTokenFailure: () => (/* binding */ describeTokenFailure),
/* harmony export */   exchangeRingCentralCredential: () => (/* binding */ exchangeRingCentralCredential),
/* harmony export */   revokeRingCentralToken: () => (/* binding */ revokeRingCentralToken)
/* harmony export */ });
/* harmony import */ var _api_url_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5931);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _ringcentral_client_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7237);



const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
class RingCentralError extends _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ {
}
/** RingCentral's error code and text, from either of its two body shapes. */
function errorOf(response) {
    const body = (typeof response.body === 'object' && response.body ? response.body : {});
    const first = body.errors?.[0];
    const code = first?.errorCode ?? body.errorCode ?? body.error ?? `HTTP ${response.status}`;
    const text = body.error_description ??
        first?.message ??
        body.message ??
        (typeof response.body === 'string' ? response.body.slice(0, 200) : '');
    return { code, text };
}
/** Cause and fix for an answer of the token endpoint; the raw code and text are kept at the end. */
function describeTokenFailure(response, client) {
    const { code, text } = errorOf(response);
    const raw = `(${response.status} ${code}${text ? `: ${text}` : ''})`;
    const console = 'the RingCentral developer console';
    switch (code) {
        case 'OAU-153':
        case 'OAU-123':
            return `RingCentral refused the app's credentials ${raw}: client-id '${client.clientId}' is not an app on ${client.serverUrl}, or client-secret is not its secret. Copy both from the app's Credentials page in ${console}; a sandbox app's credentials work only with server-url: ${_ringcentral_client_js__WEBPACK_IMPORTED_MODULE_2__/* .RINGCENTRAL_SANDBOX */ .eK}.`;
        case 'OAU-251':
            return `The app '${client.clientId}' may not use the JWT flow ${raw}. In ${console}, open the app's Settings > Auth and enable "JWT auth flow".`;
        case 'OAU-250':
            return `RingCentral could not use the JWT credential ${raw}: it is not a JWT credential of ${client.serverUrl}. A credential made for the sandbox works only with server-url: ${_ringcentral_client_js__WEBPACK_IMPORTED_MODULE_2__/* .RINGCENTRAL_SANDBOX */ .eK}, and one for production only with ${_ringcentral_client_js__WEBPACK_IMPORTED_MODULE_2__/* .RINGCENTRAL_SERVER */ .Gj}.`;
        case 'OAU-213':
            return `The JWT credential has been revoked ${raw}. Create a new one in ${console} (Credentials > JWT) and update the secret.`;
        case 'OAU-210':
            return `The JWT credential has expired ${raw}. Create a new one in ${console} (Credentials > JWT), with a later expiry or none, and update the secret.`;
        case 'OAU-121':
            return `The JWT credential is not allowed for app '${client.clientId}' ${raw}. In ${console}, create a credential for this app (or for any app), and update the secret.`;
        case 'CMN-301':
            return `RingCentral kept answering that the request rate is exceeded ${raw} after retrying. Another job may be logging in with the same credential; run this one again later.`;
        default:
            if (response.status === 429)
                return `RingCentral kept refusing logins for now ${raw}: past the user's limit of parallel sessions it answers 429. Revoke unused sessions (let this action's post step revoke its token), then run the job again.`;
            if (response.status >= 500)
                return `RingCentral answered ${response.status} after retrying ${raw}; its service may be having an incident. Run the job again later.`;
            return `RingCentral refused the login ${raw}.`;
    }
}
/** POST /restapi/oauth/token with the JWT-bearer grant (RFC 7523) and the app's HTTP Basic credentials. */
async function exchangeRingCentralCredential(http, client, credential, now = Date.now) {
    const response = await http.request({
        method: 'POST',
        url: (0,_api_url_js__WEBPACK_IMPORTED_MODULE_0__/* .joinUrl */ .we)(client.serverUrl, '/restapi/oauth/token'),
        headers: { authorization: (0,_ringcentral_client_js__WEBPACK_IMPORTED_MODULE_2__/* .basicAuthorization */ .aR)(client), accept: 'application/json' },
        form: { grant_type: JWT_BEARER, assertion: credential },
    });
    if (response.status !== 200)
        throw new RingCentralError(describeTokenFailure(response, client));
    const body = response.body;
    if (!body.access_token)
        throw new RingCentralError('RingCentral answered 200 without an access_token.');
    const expiresAt = new Date(now() + (body.expires_in ?? 3600) * 1000);
    return {
        token: body.access_token,
        tokenType: 'access',
        expiresAt,
        // The refresh token is never output, but it is masked: it is as good as a login.
        secrets: [body.access_token, ...(body.refresh_token ? [body.refresh_token] : [])],
        outputs: {},
        summary: [
            ['Provider', 'RingCentral'],
            ['Server', client.serverUrl],
            ['App (client ID)', client.clientId],
            ['Token expires', expiresAt.toISOString()],
        ],
    };
}
/** POST /restapi/oauth/revoke, which ends the session: RingCentral counts parallel sessions per user. */
async function revokeRingCentralToken(http, client, token) {
    const response = await http.request({
        method: 'POST',
        url: (0,_api_url_js__WEBPACK_IMPORTED_MODULE_0__/* .joinUrl */ .we)(client.serverUrl, '/restapi/oauth/revoke'),
        headers: { authorization: (0,_ringcentral_client_js__WEBPACK_IMPORTED_MODULE_2__/* .basicAuthorization */ .aR)(client), accept: 'application/json' },
        form: { token },
    });
    if (response.status === 200 || response.status === 204)
        return 'Revoked the RingCentral access token; its session has ended.';
    const { code, text } = errorOf(response);
    throw new RingCentralError(`RingCentral answered ${response.status} ${code}${text ? ` (${text})` : ''} to the revoke request`);
}


/***/ })

};
