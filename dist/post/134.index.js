export const id = 134;
export const ids = [134];
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

/***/ 8134:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  revokeGitHubToken: () => (/* binding */ revokeGitHubToken)
});

// EXTERNAL MODULE: ./src/api-url.ts
var api_url = __webpack_require__(5931);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/providers/github-app-api.ts


/** A failure of the GitHub API, told as cause and fix; never holds a token or a JWT. */
class GitHubApiError extends errors/* ActionError */.lZ {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
const USER_AGENT = 'app-jwt-action';
const SKEW_MESSAGE = /'Issued at' claim \('iat'\)|'Expiration time' claim \('exp'\)/;
function apiMessage(response) {
    const body = response.body;
    if (body && typeof body === 'object' && typeof body.message === 'string')
        return body.message;
    return typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : `HTTP ${response.status}`;
}
function isClockSkewRejection(response) {
    return response.status === 401 && SKEW_MESSAGE.test(apiMessage(response));
}
function headers(authorization) {
    return {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': USER_AGENT,
        authorization,
    };
}
/**
 * Requests authenticated as the app. When GitHub rejects the JWT's times, the offset between our clock and the
 * Date header of its answer is kept in the clock, so this request (retried once, re-signed) and every later
 * JWT of the run are right by the server's clock.
 */
function createAppApi(deps) {
    const localMillis = deps.localMillis ?? Date.now;
    async function send(method, path, json) {
        const url = joinUrl(deps.apiUrl, path);
        return deps.http.request({ method, url, headers: headers(`Bearer ${deps.jwt.next().token}`), json });
    }
    return async function appRequest(method, path, json) {
        const response = await send(method, path, json);
        if (!isClockSkewRejection(response))
            return response;
        const serverMillis = response.date?.getTime();
        const offset = serverMillis === undefined ? undefined : Math.round((serverMillis - localMillis()) / 1000);
        if (offset === undefined)
            throw new GitHubApiError(`GitHub rejected the JWT's times (${apiMessage(response)}) and sent no Date header to correct the clock by. Check the runner's clock.`, response.status);
        if (deps.jwt.presigned)
            throw new GitHubApiError(`GitHub rejected the JWT from the 'jwt' input: ${apiMessage(response)}. GitHub's clock is ${describeOffset(offset)} the runner's, ` +
                "and a JWT signed elsewhere cannot be signed again here. Sign it with iat 60 s before GitHub's time and exp at most 10 minutes after it, and pass it to this step at once.", response.status);
        deps.clock.setOffsetSeconds(offset);
        deps.log(`GitHub's clock is ${describeOffset(offset)} the runner's: signing again by GitHub's time, for this and every later request.`);
        return send(method, path, json);
    };
}
function describeOffset(offset) {
    if (offset === 0)
        return 'within a second of';
    return `${Math.abs(offset)} s ${offset > 0 ? 'ahead of' : 'behind'}`;
}

;// CONCATENATED MODULE: ./src/providers/github-revoke.ts



/** DELETE /installation/token with the token itself. Returns what to log; throws what to warn about. */
async function revokeGitHubToken(http, apiUrl, token) {
    const response = await http.request({
        method: 'DELETE',
        url: (0,api_url/* joinUrl */.we)(apiUrl, '/installation/token'),
        headers: headers(`Bearer ${token}`),
    });
    if (response.status === 204)
        return 'Revoked the installation token.';
    if (response.status === 401)
        return `The installation token was already revoked or expired (GitHub answered 401 "${apiMessage(response)}"); nothing to revoke.`;
    throw new errors/* ActionError */.lZ(`GitHub answered ${response.status} "${apiMessage(response)}" to DELETE /installation/token`);
}


/***/ })

};
