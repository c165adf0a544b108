export const id = 855;
export const ids = [855];
export const modules = {

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

/***/ 2855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   exchangeRingCentralCredential: () => (/* binding */ exchangeRingCentralCredential),
/* harmony export */   revokeRingCentralToken: () => (/* binding */ revokeRingCentralToken)
/* harmony export */ });
/* unused harmony exports RingCentralError, describeTokenFailure */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _http_response_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8621);
/* harmony import */ var _http_url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6697);
/* harmony import */ var _settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4728);
/* harmony import */ var _settings_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(789);





const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 6749 lets a server leave expires_in out; RingCentral's access tokens live an hour. */
const DEFAULT_LIFETIME_SECONDS = 3600;
/** Longer than any access token RingCentral issues (its refresh tokens live a week): a wrong unit, or a wrong server. */
const MAX_LIFETIME_SECONDS = 7 * 86_400;
class RingCentralError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ {
}
/** Text from the server as a message may quote it: 200 characters, then the cut. */
const quoted = (value) => (0,_http_response_js__WEBPACK_IMPORTED_MODULE_4__/* .serverText */ .Tn)(value, 201);
/** A code as RingCentral writes them (OAU-146, CMN-301) or as OAuth does (invalid_client); anything else is not shown. */
function serverCode(value) {
    return typeof value === 'string' && /^(?:[A-Z]{3}-\d{3}|[a-z][a-z_]{2,40})$/.test(value) ? value : '';
}
/** RingCentral's error code and text, from either of its two body shapes, and the standard OAuth field. */
function errorOf(response) {
    const body = (typeof response.body === 'object' && response.body ? response.body : {});
    const first = (Array.isArray(body.errors) ? body.errors[0] : undefined);
    const code = serverCode(first?.errorCode) || serverCode(body.errorCode);
    const oauth = serverCode(body.error);
    let text = quoted(body.error_description) || quoted(first?.message) || quoted(body.message) || quoted(response.body);
    // A text that only repeats the status ("HTTP 400", "400 Bad Request") says nothing the status does not.
    text = text.replace(new RegExp(`^(?:HTTP(?:/[\\d.]+)?\\s*)?${response.status}\\b[\\s:.-]*`, 'i'), '');
    return { code, oauth, text };
}
/** The answer as the message quotes it at its end: status, code and text, each once. */
function rawAnswer(response, { code, oauth, text }) {
    const shownCode = code || oauth;
    return `(${[`${response.status}${shownCode ? ` ${shownCode}` : ''}`, text].filter(Boolean).join(': ')})`;
}
const CONSOLE = 'the RingCentral developer console';
/**
 * Cause and fix for each auth error code of RingCentral's error-code table (developers.ringcentral.com/guide/
 * basics/errors) that a JWT login can meet, and the codes users report for it (OAU-153, 210, 213, 250, 251).
 */
const TOKEN_ERRORS = {};
const clientCredentials = (raw, client) => `RingCentral refused the app's credentials ${raw}: client-id ${(0,_settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__/* .showValue */ .vp)(client.clientId)} is not an app on ${client.serverUrl}, or client-secret is not its secret. Copy both from the app's Credentials page in ${CONSOLE}; a sandbox app's credentials work only with server-url: ${_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .RINGCENTRAL_SANDBOX */ .eK}.`;
const jwtFlow = (raw, client) => `The app ${(0,_settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__/* .showValue */ .vp)(client.clientId)} may not use the JWT flow ${raw}. In ${CONSOLE}, open the app's Settings > Auth and enable "JWT auth flow".`;
const rateLimit = (raw) => `RingCentral kept answering that the request rate is exceeded ${raw} after retrying. Another job may be logging in with the same credential; run this one again later.`;
for (const code of ['OAU-153', 'OAU-123', 'OAU-146', 'OAU-134', 'OAU-151', 'OAU-120'])
    TOKEN_ERRORS[code] = clientCredentials;
for (const code of ['OAU-251', 'OAU-112', 'OAU-125'])
    TOKEN_ERRORS[code] = jwtFlow;
for (const code of ['CMN-301', 'CMN-302', 'CMN-303', 'CMN-304', 'CMN-310'])
    TOKEN_ERRORS[code] = rateLimit;
Object.assign(TOKEN_ERRORS, {
    'OAU-250': (raw, client) => `RingCentral could not use the JWT credential ${raw}: it is not a JWT credential of ${client.serverUrl}. A credential made for the sandbox works only with server-url: ${_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .RINGCENTRAL_SANDBOX */ .eK}, and one for production only with ${_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .RINGCENTRAL_SERVER */ .Gj}.`,
    'OAU-213': (raw) => `The JWT credential has been revoked ${raw}. Create a new one in ${CONSOLE} (Credentials > JWT) and update the secret.`,
    'OAU-210': (raw) => `The JWT credential has expired ${raw}. Create a new one in ${CONSOLE} (Credentials > JWT), with a later expiry or none, and update the secret.`,
    'OAU-121': (raw, client) => `The JWT credential is not allowed for app ${(0,_settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__/* .showValue */ .vp)(client.clientId)} ${raw}. In ${CONSOLE}, create a credential for this app (or for any app), and update the secret.`,
    'OAU-140': (raw) => `RingCentral did not accept the JWT credential as a user's login ${raw}: it was changed when it was copied, or it is not a JWT credential from ${CONSOLE}. Copy it again (Credentials > JWT) into the secret.`,
    'OAU-149': (raw) => `RingCentral could not read the JWT credential ${raw}. Copy the whole credential again from ${CONSOLE} (Credentials > JWT) into the secret.`,
    'OAU-127': (raw, client) => `The app ${(0,_settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__/* .showValue */ .vp)(client.clientId)} is not released on ${client.serverUrl} ${raw}: an app that has not graduated to production works only with server-url: ${_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .RINGCENTRAL_SANDBOX */ .eK}. Use the sandbox, or apply for production in ${CONSOLE}.`,
    'OAU-116': (raw, client) => `RingCentral does not let the app ${(0,_settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__/* .showValue */ .vp)(client.clientId)} authenticate with a client secret ${raw}. In ${CONSOLE}, check the app's Settings > Auth: the JWT auth flow needs a server-side app with a client secret.`,
    'OAU-105': (raw) => `The user of the JWT credential may not log in ${raw}: RingCentral allows API logins only for some kinds of extension (a department or a shared line cannot). Create the credential as a user who can.`,
    'OAU-119': (raw) => `The user of the JWT credential may not log in with an international virtual number ${raw}. Create the credential as a user with a regular number.`,
    'OAU-136': (raw) => `The user the JWT credential logs in as no longer exists ${raw}. Create a new credential in ${CONSOLE} as a current user, and update the secret.`,
    'OAU-141': (raw) => `The user of the JWT credential may not log in in their current state ${raw} (disabled, or not yet activated). Ask an administrator of the RingCentral account to enable the user, or create the credential as another user.`,
    'OAU-142': (raw) => `The RingCentral account may not log in in its current state ${raw} (not activated, suspended or closed). An administrator of the account can tell why; a sandbox account expires when unused.`,
    'OAU-147': (raw) => `The RingCentral account is locked out after too many failed logins ${raw}. Wait for the lock to end (or ask an administrator to unlock it), then run the job again.`,
    'OAU-148': (raw) => `The RingCentral account is locked out after too many failed logins ${raw}; it logs in through single sign-on. Ask an administrator to unlock it, then run the job again.`,
    'CMN-101': (raw) => /\[assertion\]/.test(raw)
        ? `RingCentral did not accept the JWT credential ${raw}. Copy the whole credential again from ${CONSOLE} (Credentials > JWT) into the secret.`
        : `RingCentral found the login request malformed ${raw}. Please report this with the step's log.`,
    'OAU-111': (raw) => `RingCentral found a parameter twice in the login request ${raw}. Please report this with the step's log: the action sends each once.`,
});
/** The standard OAuth `error` field, when RingCentral's own code is absent or one the table does not have. */
const OAUTH_ERRORS = {
    invalid_client: clientCredentials,
    invalid_grant: (raw) => `RingCentral refused the JWT credential ${raw}: it has expired or been revoked, it is for another app, or it was made on another server (sandbox and production credentials do not mix). Create a new one in ${CONSOLE} (Credentials > JWT), and update the jwt secret.`,
    unauthorized_client: jwtFlow,
    unsupported_grant_type: (raw, client) => TOKEN_ERRORS['OAU-250'](raw, client),
    access_denied: (raw) => `RingCentral denied the login ${raw}: the user of the JWT credential, or the app, may not log in this way. Check the app's Settings > Auth in ${CONSOLE}.`,
    invalid_request: (raw) => `RingCentral found the login request malformed ${raw}. Please report this with the step's log.`,
};
/** Cause and fix for an answer of the token endpoint; the raw status, code and text are kept at the end. */
function describeTokenFailure(response, client) {
    const answer = errorOf(response);
    const raw = rawAnswer(response, answer);
    const known = TOKEN_ERRORS[answer.code] ?? OAUTH_ERRORS[answer.oauth];
    if (known)
        return known(raw, client);
    if (response.status === 429)
        return `RingCentral kept refusing logins for now ${raw}: past the user's limit of parallel sessions it answers 429. Revoke unused sessions (let this action's post step revoke its token), then run the job again.`;
    if (response.status >= 500)
        return `RingCentral kept answering with a server error after retrying ${raw}; its service may be having an incident. Run the job again later.`;
    if (response.status === 401)
        return clientCredentials(raw, client);
    return `RingCentral refused the login ${raw}.`;
}
/** The token answer's fields the action uses, each checked; a problem names the field. */
function readTokenAnswer(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body))
        return {
            problem: `a body that is not a JSON object (${typeof body === 'string' ? (body ? `${body.length} characters of text` : 'an empty body') : 'JSON, but not an object'})`,
        };
    const answer = body;
    const { access_token: token, refresh_token: refresh, expires_in: expiresIn } = answer;
    if (token === undefined || token === null || token === '')
        return { problem: 'no access_token' };
    if (typeof token !== 'string')
        return { problem: `an access_token that is ${typeof token}, not a string` };
    const refreshToken = typeof refresh === 'string' && refresh ? refresh : undefined;
    // A token goes into an Authorization header and into masks, which are one line each.
    if (!/^[\x21-\x7e]+$/.test(token))
        return {
            token,
            refresh: refreshToken,
            problem: 'an access_token with spaces, line breaks or characters outside printable ASCII',
        };
    if (expiresIn === undefined || expiresIn === null)
        return { token, refresh: refreshToken };
    const lifetime = typeof expiresIn === 'number'
        ? expiresIn
        : typeof expiresIn === 'string' && /^\d+$/.test(expiresIn)
            ? +expiresIn
            : NaN;
    if (!Number.isFinite(lifetime))
        return {
            token,
            refresh: refreshToken,
            problem: `expires_in ${typeof expiresIn === 'string' ? (0,_settings_value_shape_js__WEBPACK_IMPORTED_MODULE_2__/* .showValue */ .vp)(expiresIn) : `as ${Array.isArray(expiresIn) ? 'a list' : typeof expiresIn}`}, which is not a number of seconds`,
        };
    if (lifetime <= 0)
        return {
            token,
            refresh: refreshToken,
            problem: `expires_in ${lifetime}: the token was expired when it was issued`,
        };
    if (lifetime > MAX_LIFETIME_SECONDS)
        return {
            token,
            refresh: refreshToken,
            problem: `expires_in ${lifetime} seconds, more than the week any RingCentral access token lives`,
        };
    return { token, refresh: refreshToken, lifetime: Math.floor(lifetime) };
}
/**
 * POST /restapi/oauth/token with the JWT-bearer grant (RFC 7523) and the app's HTTP Basic credentials. A 200
 * whose answer cannot be used fails, naming the field; a token it did carry is masked at once and revoked
 * before the failure is thrown, so that no session is left open.
 */
async function exchangeRingCentralCredential(http, client, credential, clock, mask = () => undefined) {
    const response = await http.request({
        service: 'RingCentral',
        method: 'POST',
        url: (0,_http_url_js__WEBPACK_IMPORTED_MODULE_1__/* .joinUrl */ .we)(client.serverUrl, '/restapi/oauth/token'),
        headers: { authorization: (0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .basicAuthorization */ .aR)(client), accept: 'application/json' },
        form: { grant_type: JWT_BEARER, assertion: credential },
    });
    if (response.status !== 200)
        throw new RingCentralError(describeTokenFailure(response, client));
    const { token, refresh, lifetime, problem } = readTokenAnswer(response.body);
    for (const secret of [token, refresh])
        if (secret)
            mask(secret);
    if (problem) {
        let fate = '';
        if (token) {
            try {
                await revokeRingCentralToken(http, client, token);
                fate = ' The token it carried has been revoked.';
            }
            catch (error) {
                fate = ` Revoking the token it carried failed too (${error.message}); it expires by itself.`;
            }
        }
        throw new RingCentralError(`RingCentral (${client.serverUrl}) answered the login with 200 and ${problem}: the action cannot use that answer.${fate} If server-url is a proxy or another service, point it at RingCentral's API server.`);
    }
    const expiresAt = new Date((clock.now() + (lifetime ?? DEFAULT_LIFETIME_SECONDS)) * 1000);
    return {
        token: token,
        tokenType: 'access',
        expiresAt,
        // The refresh token is never output, but it is masked: it is as good as a login.
        secrets: [token, ...(refresh ? [refresh] : [])],
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
        service: 'RingCentral',
        method: 'POST',
        url: (0,_http_url_js__WEBPACK_IMPORTED_MODULE_1__/* .joinUrl */ .we)(client.serverUrl, '/restapi/oauth/revoke'),
        headers: { authorization: (0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .basicAuthorization */ .aR)(client), accept: 'application/json' },
        form: { token },
    });
    if (response.status === 200 || response.status === 204)
        return 'Revoked the RingCentral access token; its session has ended.';
    const { code, oauth, text } = errorOf(response);
    const shownCode = code || oauth;
    throw new RingCentralError(`RingCentral answered ${response.status}${shownCode ? ` ${shownCode}` : ''}${text ? ` (${text})` : ''} to the revoke request`);
}


/***/ })

};
