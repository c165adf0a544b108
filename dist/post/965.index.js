export const id = 965;
export const ids = [965,87];
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

/***/ 965:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  exchangeForInstallationToken: () => (/* binding */ exchangeForInstallationToken),
  revokeGitHubToken: () => (/* binding */ revokeGitHubToken)
});

// UNUSED EXPORTS: botEmail

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 20 modules
var utils = __webpack_require__(5250);
// EXTERNAL MODULE: ./node_modules/@octokit/request-error/dist-src/index.js
var dist_src = __webpack_require__(1015);
// EXTERNAL MODULE: ./src/http/failure.ts
var failure = __webpack_require__(2398);
// EXTERNAL MODULE: ./src/http/response.ts
var http_response = __webpack_require__(8621);
// EXTERNAL MODULE: ./src/http/url.ts
var http_url = __webpack_require__(6697);
;// CONCATENATED MODULE: ./src/providers/github/api.ts
// GitHub's REST API through the octokit of @actions/github, with our policies as its request hook: every request
// carries the app JWT (or a token), goes through the transport's retry loop, and a JWT that GitHub rejects for
// its times is signed again by GitHub's clock, once, with the offset kept for every later JWT of the run.






/** A failure of the GitHub API, told as cause and fix; never holds a token or a JWT. */
class GitHubApiError extends errors/* ActionError */.lZ {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
const SKEW_MESSAGE = /'Issued at' claim \('iat'\)|'Expiration time' claim \('exp'\)/;
/** GitHub's error message, with a 422's errors[] detail (field and code, or their message). */
function apiMessage(response) {
    const body = response.body;
    if (body && typeof body === 'object' && typeof body.message === 'string') {
        const details = Array.isArray(body.errors)
            ? body.errors
                .map((e) => {
                if (typeof e === 'string')
                    return e;
                const entry = (e ?? {});
                if (typeof entry.message === 'string')
                    return entry.message;
                return [entry.resource, entry.field, entry.code].filter((part) => typeof part === 'string').join(' ');
            })
                .filter(Boolean)
            : [];
        return (0,http_response/* serverText */.Tn)(details.length ? `${body.message} (${details.join('; ')})` : body.message);
    }
    return typeof body === 'string' && body.trim() ? (0,http_response/* serverText */.Tn)(body, 200) : `HTTP ${response.status}`;
}
function isClockSkewRejection(response) {
    return response.status === 401 && SKEW_MESSAGE.test(apiMessage(response));
}
function describeOffset(offset) {
    if (offset === 0)
        return 'within a second of';
    return `${Math.abs(offset)} s ${offset > 0 ? 'ahead of' : 'behind'}`;
}
function toApiResponse(answer) {
    const headers = (0,http_response/* headerLookup */.uD)(answer.headers);
    return { status: answer.status, headers, body: answer.data ?? '', date: (0,http_response/* parseDate */._U)(headers.get('date')) };
}
/** The offset GitHub's Date header gives; throws when it cannot be used to sign again. */
function skewOffset(response, clock, jwt) {
    const serverMillis = response.date?.getTime();
    if (serverMillis === undefined)
        throw new GitHubApiError(`GitHub rejected the JWT's times (${apiMessage(response)}) and sent no Date header to correct the clock by. Check the runner's clock.`, response.status);
    const offset = Math.round((serverMillis - clock.localMillis()) / 1000);
    if (jwt.presigned)
        throw new GitHubApiError(`GitHub rejected the JWT from the 'jwt' input: ${apiMessage(response)}. GitHub's clock is ${describeOffset(offset)} the runner's, ` +
            "and a JWT signed elsewhere cannot be signed again here. Sign it with iat 60 s before GitHub's time and exp at most 10 minutes after it, and pass it to this step at once.", response.status);
    return offset;
}
function createGitHubApi({ transport, apiUrl, clock, log, auth }) {
    const octokit = new utils/* GitHub */.gq({
        baseUrl: apiUrl,
        userAgent: 'app-jwt-action',
        request: { fetch: transport.fetch },
        log: { debug: log.debug, info: log.debug, warn: log.debug, error: log.debug },
    });
    octokit.hook.wrap('request', async (request, options) => {
        const headers = options.headers;
        headers.accept = 'application/vnd.github+json';
        headers['x-github-api-version'] = '2022-11-28';
        const authorize = async () => {
            headers.authorization = `Bearer ${'app' in auth ? (await auth.app.next()).token : auth.token}`;
        };
        const { method, url } = octokit.request.endpoint.parse(options);
        const label = () => ({ service: 'GitHub', method, url: (0,http_url/* showUrl */.jr)(new URL(url)), secrets: [headers.authorization] });
        const attempt = async () => {
            try {
                const answer = await request(options);
                return { response: toApiResponse(answer), value: answer };
            }
            catch (error) {
                if (error instanceof dist_src/* RequestError */.G && error.response)
                    return { response: toApiResponse(error.response), value: error };
                // octokit keeps what the transport threw as the cause of its own error.
                if (error instanceof dist_src/* RequestError */.G && error.cause instanceof failure/* RequestProblem */.ZW)
                    throw error.cause;
                throw error;
            }
        };
        await authorize();
        let sent = await transport.retrying(label(), attempt);
        if ('app' in auth && isClockSkewRejection(sent.response)) {
            const offset = skewOffset(sent.response, clock, auth.app);
            clock.setOffsetSeconds(offset);
            log.info(`GitHub's clock is ${describeOffset(offset)} the runner's: signing again by GitHub's time, for this and every later request.`);
            await authorize();
            sent = await transport.retrying(label(), attempt);
        }
        if (sent.value instanceof Error)
            throw sent.value;
        return sent.value;
    });
    return {
        async request(route, params = {}) {
            try {
                return toApiResponse(await octokit.request(route, params));
            }
            catch (error) {
                if (error instanceof dist_src/* RequestError */.G && error.response)
                    return toApiResponse(error.response);
                throw error;
            }
        },
    };
}

// EXTERNAL MODULE: ./src/providers/github/targets.ts
var targets = __webpack_require__(6126);
;// CONCATENATED MODULE: ./src/providers/github/answers.ts
// GitHub's answers, checked field by field before anything is used: text from a server never becomes a path
// segment, an output or a log line unchecked, and a success answer that cannot be used is a failure that names
// the field and the server.


const APP_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,99})$/i;
const PERMISSION_NAME = /^[a-z][a-z0-9_]{0,99}$/;
const LEVELS = new Set(['read', 'write', 'admin']);
/** A field that cannot be used: the step fails naming it, the request and the server. */
function unusable(what, field, problem, apiUrl) {
    return new GitHubApiError(`GitHub answered ${what}, but its ${field} ${problem}: the server at ${apiUrl} does not answer like GitHub's REST API. Check github-api-url.`);
}
const isObject = (value) => !!value && typeof value === 'object' && !Array.isArray(value);
const isId = (value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
function readPermissions(value, what, apiUrl) {
    if (value === undefined || value === null)
        return {};
    if (!isObject(value))
        throw unusable(what, '`permissions`', 'is not an object', apiUrl);
    const out = {};
    for (const [name, level] of Object.entries(value)) {
        if (!PERMISSION_NAME.test(name) || typeof level !== 'string' || !LEVELS.has(level))
            throw unusable(what, '`permissions`', 'holds an entry that is not a permission name and level', apiUrl);
        out[name] = level;
    }
    return out;
}
/** An installation as GET …/installation answers it. */
function readInstallation(body, what, apiUrl) {
    if (!isObject(body))
        throw unusable(what, 'body', 'is not an installation (not a JSON object)', apiUrl);
    if (!isId(body.id))
        throw unusable(what, '`id`', 'is not a positive whole number', apiUrl);
    const installation = { id: body.id, permissions: readPermissions(body.permissions, what, apiUrl) };
    if (body.app_slug !== undefined) {
        if (typeof body.app_slug !== 'string' || !APP_SLUG.test(body.app_slug))
            throw unusable(what, '`app_slug`', 'is not an app slug (letters, digits and hyphens)', apiUrl);
        installation.appSlug = body.app_slug;
    }
    if (body.account !== undefined && body.account !== null) {
        const account = body.account;
        // An enterprise (target_type Enterprise) has no account type; the others say User or Organization.
        const type = body.target_type === 'Enterprise' ? 'Enterprise' : typeof account.type === 'string' ? account.type : 'User';
        const rule = type === 'Enterprise' ? targets/* ENTERPRISE_SLUG */.yO : targets/* LOGIN */.S3;
        // An enterprise account is named by its slug; the name of a user or organization is its login.
        const login = type === 'Enterprise' ? (account.slug ?? account.login) : account.login;
        if (!isObject(account) || typeof login !== 'string' || !rule.test(login) || !/^[A-Za-z]{1,30}$/.test(type))
            throw unusable(what, '`account`', 'does not name a GitHub account', apiUrl);
        installation.account = { login, type };
    }
    return installation;
}
/** An installation access token as POST …/access_tokens answers it. */
function readAccessToken(body, what, apiUrl) {
    if (!isObject(body))
        throw unusable(what, 'body', 'is not a JSON object', apiUrl);
    const { token } = body;
    // GitHub's tokens have grown before (2026): no length or alphabet is assumed beyond printable, one line.
    if (typeof token !== 'string' || !token || token.length > 10_000 || !/^[\x21-\x7e]+$/.test(token))
        throw unusable(what, '`token`', 'is missing or not a token (one line of printable characters)', apiUrl);
    const expiresAt = typeof body.expires_at === 'string' ? new Date(body.expires_at) : new Date(NaN);
    if (Number.isNaN(expiresAt.getTime()))
        throw unusable(what, '`expires_at`', 'is missing or not a date', apiUrl);
    const granted = { token, expiresAt, permissions: readPermissions(body.permissions, what, apiUrl) };
    if (body.repositories !== undefined) {
        const names = Array.isArray(body.repositories)
            ? body.repositories.map((repository) => (isObject(repository) ? repository.name : undefined))
            : undefined;
        if (!names || !names.every((name) => typeof name === 'string' && (0,targets/* isRepositoryName */.en)(name)))
            throw unusable(what, '`repositories`', 'is not a list of repositories', apiUrl);
        granted.repositories = names;
    }
    return granted;
}
/** The app's slug as GET /app answers it. */
function readAppSlug(body, apiUrl) {
    const slug = isObject(body) ? body.slug : undefined;
    if (typeof slug !== 'string' || !APP_SLUG.test(slug))
        throw unusable('200 to GET /app', '`slug`', 'is not an app slug (letters, digits and hyphens)', apiUrl);
    return slug;
}
/** The bot user's id, checking the answer is the bot of `slug`. */
function readBotUserId(body, slug, apiUrl) {
    const what = `200 to GET /users/${slug}[bot]`;
    if (!isObject(body) || typeof body.login !== 'string' || body.login.toLowerCase() !== `${slug}[bot]`.toLowerCase())
        throw unusable(what, '`login`', `is not ${slug}[bot]`, apiUrl);
    if (!isId(body.id))
        throw unusable(what, '`id`', 'is not a positive whole number', apiUrl);
    return body.id;
}

// EXTERNAL MODULE: ./src/providers/github/permissions.ts + 1 modules
var permissions = __webpack_require__(8087);
// EXTERNAL MODULE: ./src/providers/github/urls.ts
var urls = __webpack_require__(3460);
;// CONCATENATED MODULE: ./src/providers/github/installation.ts




/** Messages for the answers any app-authenticated request can get, whatever it asked. */
function describeAppFailure(response, action, issuer, apiUrl) {
    const message = apiMessage(response);
    if (response.status === 401 && /JSON web token could not be decoded/.test(message))
        return `${action} failed: GitHub could not verify the JWT (401 "${message}"). The private key does not belong to app ${issuer}, or app-id and private-key are from different apps. Generate a key on that app's settings page and store it in the secret; keys deleted there stop working at once.`;
    if (response.status === 404 && /Integration not found/.test(message))
        return `${action} failed: there is no GitHub App with ID ${issuer} at ${apiUrl} (404 "${message}"). Check app-id: it is the App ID or Client ID on the app's settings page, not an installation ID. For GitHub Enterprise Server, set github-api-url to https://HOST/api/v3.`;
    if (response.status === 401 && /claim/.test(message))
        return `${action} failed: GitHub still rejected the JWT's times after correcting for its clock (401 "${message}"). Check the runner's clock.`;
    if (response.status === 403 && /suspended/i.test(message))
        return `${action} failed: the installation is suspended (403 "${message}"). An owner of the account can unsuspend it in the app's installation settings.`;
    if (response.status >= 500)
        return `${action} failed: GitHub answered ${response.status} ("${message}") after retrying. GitHub may be having an incident (https://www.githubstatus.com); re-run the job later.`;
    return `${action} failed: GitHub answered ${response.status} "${message}".`;
}
/** The app's slug (GET /app), for links and the bot's name; undefined when GitHub does not say. */
async function appSlug(api, apiUrl) {
    try {
        const response = await api.request('GET /app');
        return response.status === 200 ? readAppSlug(response.body, apiUrl) : undefined;
    }
    catch {
        return undefined;
    }
}
/** Why an app gets no enterprise token, and what makes it possible. */
function notEnterpriseApp(enterprise) {
    return `The app cannot have a token for the enterprise ${enterprise}: it must be an enterprise-owned app (owned by the enterprise or one of its organizations), installed by an enterprise owner, with enterprise permissions.`;
}
async function findInstallation(api, target, issuer, apiUrl) {
    const [first] = target.repositories;
    const where = target.enterprise
        ? `the enterprise ${target.owner}`
        : first
            ? `${target.owner}/${first}`
            : target.owner;
    const segment = encodeURIComponent;
    const path = target.enterprise
        ? `/enterprises/${segment(target.owner)}/installation`
        : first
            ? `/repos/${segment(target.owner)}/${segment(first)}/installation`
            : `/users/${segment(target.owner)}/installation`;
    const response = target.enterprise
        ? await api.request('GET /enterprises/{enterprise}/installation', { enterprise: target.owner })
        : first
            ? await api.request('GET /repos/{owner}/{repo}/installation', { owner: target.owner, repo: first })
            : await api.request('GET /users/{username}/installation', { username: target.owner });
    if (response.status === 200)
        return readInstallation(response.body, `200 to GET ${path}`, apiUrl);
    const fromApi = typeof response.body === 'object' && response.body !== null && 'message' in response.body;
    if (response.status === 404 && !fromApi)
        throw new GitHubApiError(`GET ${path} answered 404 with a page that is not GitHub's API: github-api-url '${apiUrl}' is not a GitHub REST API base. For GitHub Enterprise Server it is https://HOST/api/v3.`, 404);
    if ((response.status === 403 || response.status === 422) &&
        target.enterprise &&
        /enterprise/i.test(apiMessage(response)))
        throw new GitHubApiError(`Finding the installation on the enterprise ${target.owner} failed: GitHub answered ${response.status} "${apiMessage(response)}". ${notEnterpriseApp(target.owner)}`, response.status);
    if (response.status === 404 && target.enterprise && !/Integration not found/.test(apiMessage(response)))
        throw new GitHubApiError(`The app is not installed on the enterprise ${target.owner}, or ${target.owner} is not the slug of an enterprise the app can see (GET ${path} answered 404). ` +
            'Only an app owned by the enterprise (or by one of its organizations) can be installed on it: an enterprise owner installs it under Enterprise settings > GitHub Apps. ' +
            "Check the slug in the enterprise's URL (https://github.com/enterprises/SLUG).", 404);
    if (response.status === 404 && !/Integration not found/.test(apiMessage(response))) {
        // One more request, on this failure only, for a link the reader can click.
        const slug = await appSlug(api, apiUrl);
        const install = slug ? ` Install it from ${(0,urls/* installAppUrl */.MT)(apiUrl, slug)}` : " Install it from the app's public page";
        const scope = first ? `${install} and give it access to ${where}.` : `${install} on ${target.owner}.`;
        throw new GitHubApiError(`The app${slug ? ` ${slug}` : ''} is not installed on ${where}${first ? ', or that repository does not exist' : ''} (GET ${path} answered 404).${scope} To use an installation on another account, set owner (and repositories).`, 404);
    }
    throw new GitHubApiError(describeAppFailure(response, `Finding the installation on ${where}`, issuer, apiUrl), response.status);
}
function describeTokenFailure(response, target, installation, issuer, apiUrl) {
    const message = apiMessage(response);
    const action = `Creating a token for installation ${installation.id}`;
    // An enterprise installation's page is under the enterprise's settings, not at a URL the account can give.
    const settings = installation.account && installation.account.type !== 'Enterprise'
        ? ` The installation's settings list what it can reach: ${(0,urls/* installationSettingsUrl */.R0)(apiUrl, installation.account, installation.id)}`
        : '';
    if ((response.status === 403 || response.status === 422) && target.enterprise && /enterprise/i.test(message))
        return `${action} failed: GitHub answered ${response.status} "${message}". ${notEnterpriseApp(target.owner)}`;
    if (response.status === 422 && /repositor/i.test(message))
        return `${action} failed: GitHub answered 422 "${message}". One of the repositories (${target.repositories.join(', ')}) does not exist on ${target.owner} or is not among those the installation can reach; names are matched within owner '${target.owner}'.${settings}`;
    if (response.status === 422 && /permission/i.test(message)) {
        const requested = Object.entries(target.permissions ?? {})
            .map(([name, level]) => `${name}: ${level}`)
            .join(', ');
        const granted = installation.permissions
            ? ` It grants: ${Object.entries(installation.permissions)
                .map(([name, level]) => `${name}: ${level}`)
                .join(', ')}.`
            : '';
        return `${action} failed: GitHub answered 422 "${message}". Requested: ${requested}.${granted} Request only what the app has been granted, or change the app's permissions and have the owner accept them.${settings}`;
    }
    if (response.status === 404 && target.installationId !== undefined && !/Integration not found/.test(message))
        return `${action} failed: app ${issuer} has no installation ${installation.id} (404 "${message}"). Check installation-id, or leave it out and set owner (and repositories) so the action looks the installation up.`;
    return describeAppFailure(response, action, issuer, apiUrl);
}
/**
 * Finds the installation (unless its ID is given) and exchanges the app JWT for an installation token scoped
 * to `target`. Requests: one with an installation ID, two with a lookup.
 */
async function createInstallationToken(api, options, target) {
    const { issuer, apiUrl } = options;
    const installation = target.installationId !== undefined
        ? { id: target.installationId }
        : await findInstallation(api, target, issuer, apiUrl);
    if (target.permissions && installation.permissions && Object.keys(installation.permissions).length) {
        const missing = (0,permissions/* findUngrantedPermissions */.S4)(target.permissions, installation.permissions);
        if (missing.length)
            throw new GitHubApiError(`Stopped before asking for a token on ${installation.account?.login ?? target.owner}, since GitHub would refuse it. ${(0,permissions/* describeUngranted */.oe)(missing, installation.permissions)}`);
    }
    const body = {};
    if (target.repositories.length)
        body.repositories = target.repositories;
    if (target.permissions)
        body.permissions = target.permissions;
    const response = await api.request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: installation.id,
        data: body,
    });
    if (response.status !== 201)
        throw new GitHubApiError(describeTokenFailure(response, target, installation, issuer, apiUrl), response.status);
    // A token in the answer is masked at once, even when the rest of the answer turns out unusable.
    const token = response.body?.token;
    if (typeof token === 'string' && token)
        options.mask(token);
    try {
        const granted = readAccessToken(response.body, `201 to POST /app/installations/${installation.id}/access_tokens`, apiUrl);
        return { target, installation, granted };
    }
    catch (error) {
        if (typeof token !== 'string' || !token)
            throw error;
        // Revoked before the step fails, and the message says whether that worked: a token may be left behind.
        const revoked = await options.revoke(token).then(() => true, () => false);
        throw new GitHubApiError(`${error.message} ${revoked ? 'The token in the answer was revoked.' : 'Revoking the token in the answer failed too; it expires by itself (installation tokens last an hour).'}`);
    }
}

;// CONCATENATED MODULE: ./src/providers/github/revoke.ts


/** DELETE /installation/token with the token itself. Returns what to log; throws what to warn about. */
async function revokeInstallationToken(api) {
    const response = await api.request('DELETE /installation/token');
    if (response.status === 204)
        return 'Revoked the installation token.';
    if (response.status === 401)
        return `The installation token was already revoked or expired (GitHub answered 401 "${apiMessage(response)}"); nothing to revoke.`;
    throw new errors/* ActionError */.lZ(`GitHub answered ${response.status} "${apiMessage(response)}" to DELETE /installation/token`);
}

;// CONCATENATED MODULE: ./src/providers/github/exchange.ts
// The token path, loaded only when an installation token is wanted: octokit, the lookups and the exchanges, one
// per account in parallel; the bot's identity and git's set-up when asked for.






function tokenApi(context, apiUrl, token, transport) {
    return createGitHubApi({ transport, apiUrl, clock: context.clock, log: context.log, auth: { token } });
}
/**
 * `<id>+<slug>[bot]@users.noreply.<host>`: the host name of the web UI (github.com, a GHES host, SUB.ghe.com),
 * without a port, which an address cannot hold.
 */
function botEmail(apiUrl, slug, id) {
    return `${id}+${slug}[bot]@users.noreply.${new URL((0,urls/* webUrl */.qP)(apiUrl).base).hostname}`;
}
/** The app's bot user: one request (GET /users/{slug}[bot]), two when the slug is not known yet. */
async function lookUpBot(api, appApi, apiUrl, slug) {
    const known = slug ?? (await appSlug(appApi, apiUrl));
    if (!known)
        throw new errors/* ActionError */.lZ(`Could not look up the app's bot user: GET /app did not give the app's slug (at ${apiUrl}). Check github-api-url, or leave bot-identity and configure-git out.`);
    const login = `${known}[bot]`;
    const response = await api.request('GET /users/{username}', { username: login });
    if (response.status !== 200)
        throw new errors/* ActionError */.lZ(`Could not look up the app's bot user ${login}: GitHub answered ${response.status} to GET /users/${encodeURIComponent(login)}. The bot user exists once the app is installed; check github-api-url.`);
    const id = readBotUserId(response.body, known, apiUrl);
    return { name: login, userId: id, email: botEmail(apiUrl, known, id) };
}
function summaryOf(issued) {
    const { target, installation, granted } = issued;
    const repositories = granted.repositories ?? target.repositories;
    const account = installation.account?.login ?? target.owner;
    return [
        ['Installation', `${installation.id} on ${account}`],
        [
            'Repositories',
            target.enterprise
                ? `the enterprise ${target.owner}`
                : repositories.length
                    ? repositories.map((name) => `${account}/${name}`).join(', ')
                    : 'every repository the installation can reach',
        ],
        [
            'Permissions',
            Object.entries(granted.permissions)
                .map(([name, level]) => `${name}: ${level}`)
                .join(', '),
        ],
        ['Token expires', granted.expiresAt.toISOString()],
    ];
}
/** The tokens already issued when the step fails: revoked, and the log says which could not be. */
async function revokeAfterFailure(issued, revoke, context) {
    const outcomes = await Promise.allSettled(issued.map(({ granted }) => revoke(granted.token)));
    const revoked = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    if (revoked)
        context.log.info(`Revoked the ${revoked === 1 ? 'token' : `${revoked} tokens`} already issued, since the step failed.`);
    outcomes.forEach((outcome, index) => {
        if (outcome.status === 'fulfilled')
            return;
        const { target, installation, granted } = issued[index];
        const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        context.log.warning(`The step failed after the token for ${installation.account?.login ?? target.owner} was issued, and revoking it failed too: ${reason.replace(/\.$/, '')}. It expires by itself at ${granted.expiresAt.toISOString()}.`);
    });
}
async function exchangeForInstallationToken(settings, exchange, jwt, context) {
    const { apiUrl, targets } = exchange;
    const transport = await context.transport();
    const api = createGitHubApi({ transport, apiUrl, clock: context.clock, log: context.log, auth: { app: jwt } });
    const revoke = (token) => revokeInstallationToken(tokenApi(context, apiUrl, token, transport));
    const options = { issuer: String(settings.issuer), apiUrl, mask: context.mask, revoke };
    // Accounts in parallel; a failure anywhere revokes the tokens the others got before the step fails.
    const outcomes = await Promise.allSettled(targets.map((target) => createInstallationToken(api, options, target)));
    const issued = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    let bot;
    try {
        if (failed)
            throw failed.reason;
        if (exchange.botIdentity)
            bot = await lookUpBot(tokenApi(context, apiUrl, issued[0].granted.token, transport), api, apiUrl, issued[0].installation.appSlug);
    }
    catch (error) {
        await revokeAfterFailure(issued, revoke, context);
        throw error;
    }
    for (const { target, installation, granted } of issued) {
        const account = installation.account?.login ?? target.owner;
        const scope = target.enterprise
            ? `the enterprise ${target.owner}`
            : target.repositories.length
                ? target.repositories.map((name) => `${account}/${name}`).join(', ')
                : `every repository of ${account} the installation can reach`;
        context.log.info(`Created an installation token (installation ${installation.id}) for ${scope}; it expires at ${granted.expiresAt.toISOString()}.`);
        if (granted.expiresAt.getTime() <= context.clock.now() * 1000)
            context.log.warning(`GitHub issued the token for ${account} already expired (at ${granted.expiresAt.toISOString()}, by GitHub's clock as the runner sees it). Later steps will get 401 with it; check the runner's clock, and GitHub's status.`);
    }
    const [first] = issued;
    const slug = first.installation.appSlug;
    const outputs = {
        'installation-id': String(first.installation.id),
        permissions: JSON.stringify(first.granted.permissions),
    };
    if (slug)
        outputs['app-slug'] = slug;
    if (bot)
        Object.assign(outputs, { 'bot-name': bot.name, 'bot-user-id': String(bot.userId), 'bot-email': bot.email });
    const accountOf = (one) => one.installation.account?.login ?? one.target.owner;
    const tokens = Object.fromEntries(issued.map((one) => [accountOf(one), one.granted.token]));
    const several = issued.length > 1;
    const records = issued.map(({ granted }) => ({
        provider: 'github',
        token: granted.token,
        apiUrl,
        expiresAt: granted.expiresAt.toISOString(),
    }));
    const summary = [
        ['Provider', 'GitHub App'],
        ['App', slug ? `${slug} (${settings.issuer})` : String(settings.issuer)],
        ['API', apiUrl],
        ...issued.flatMap((one) => several ? [['Account', accountOf(one)], ...summaryOf(one)] : summaryOf(one)),
        ...(bot ? [['Bot user', `${bot.name} (${bot.userId})`]] : []),
        ['JWT expires', jwt.last()?.expiresAt.toISOString() ?? ''],
        ['Revoked after the job', exchange.skipTokenRevoke ? 'no (skip-token-revoke)' : 'yes'],
    ];
    return {
        token: first.granted.token,
        tokenType: 'installation',
        expiresAt: first.granted.expiresAt,
        jwt: jwt.last(),
        secrets: issued.map(({ granted }) => granted.token),
        outputs,
        tokens,
        bot,
        git: exchange.git && bot
            ? {
                serverUrl: exchange.git.serverUrl,
                user: bot,
                tokens: issued.map((one) => ({ account: accountOf(one), token: one.granted.token })),
            }
            : undefined,
        summary,
        revoke: exchange.skipTokenRevoke ? undefined : records,
        // skip-token-revoke or not: a step that fails after this (outputs, git) revokes them, as none reached a later step.
        issued: records,
    };
}
async function revokeGitHubToken(record, context) {
    return revokeInstallationToken(tokenApi(context, record.apiUrl, record.token, await context.transport()));
}


/***/ }),

/***/ 8087:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  oe: () => (/* binding */ describeUngranted),
  S4: () => (/* binding */ findUngrantedPermissions),
  parsePermissions: () => (/* binding */ parsePermissions)
});

// UNUSED EXPORTS: PermissionsError

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/providers/github/permission-list.ts
// Generated by scripts/generate-permissions.ts from @octokit/openapi 23.0.2
// (generated/api.github.com.json, components.schemas['app-permissions']). Do not edit it by hand.
// To regenerate after updating @octokit/openapi: node scripts/generate-permissions.ts (then commit the result).
// `node scripts/generate-permissions.ts --check` fails when this file is stale.
/** The permissions a GitHub App can request for an installation token, each with the levels GitHub accepts. */
const APP_PERMISSIONS = {
    actions: ['read', 'write'],
    administration: ['read', 'write'],
    artifact_metadata: ['read', 'write'],
    attestations: ['read', 'write'],
    checks: ['read', 'write'],
    code_quality: ['read', 'write'],
    codespaces: ['read', 'write'],
    contents: ['read', 'write'],
    dependabot_secrets: ['read', 'write'],
    deployments: ['read', 'write'],
    discussions: ['read', 'write'],
    environments: ['read', 'write'],
    issues: ['read', 'write'],
    merge_queues: ['read', 'write'],
    metadata: ['read', 'write'],
    packages: ['read', 'write'],
    pages: ['read', 'write'],
    pull_requests: ['read', 'write'],
    repository_custom_properties: ['read', 'write'],
    repository_hooks: ['read', 'write'],
    repository_projects: ['read', 'write', 'admin'],
    secret_scanning_alerts: ['read', 'write'],
    secrets: ['read', 'write'],
    security_events: ['read', 'write'],
    single_file: ['read', 'write'],
    statuses: ['read', 'write'],
    vulnerability_alerts: ['read', 'write'],
    workflows: ['write'],
    custom_properties_for_organizations: ['read', 'write'],
    members: ['read', 'write'],
    organization_administration: ['read', 'write'],
    organization_custom_roles: ['read', 'write'],
    organization_custom_org_roles: ['read', 'write'],
    organization_custom_properties: ['read', 'write', 'admin'],
    organization_copilot_seat_management: ['read', 'write'],
    organization_copilot_agent_settings: ['read', 'write'],
    organization_announcement_banners: ['read', 'write'],
    organization_events: ['read'],
    organization_hooks: ['read', 'write'],
    organization_personal_access_tokens: ['read', 'write'],
    organization_personal_access_token_requests: ['read', 'write'],
    organization_plan: ['read'],
    organization_projects: ['read', 'write', 'admin'],
    organization_packages: ['read', 'write'],
    organization_secrets: ['read', 'write'],
    organization_self_hosted_runners: ['read', 'write'],
    organization_user_blocking: ['read', 'write'],
    email_addresses: ['read', 'write'],
    followers: ['read', 'write'],
    git_ssh_keys: ['read', 'write'],
    gpg_keys: ['read', 'write'],
    interaction_limits: ['read', 'write'],
    profile: ['write'],
    starring: ['read', 'write'],
    enterprise_custom_properties_for_organizations: ['read', 'write', 'admin'],
};

;// CONCATENATED MODULE: ./src/providers/github/permissions.ts



/** A permitted level covers the ones before it: write includes read, admin includes write. */
const LEVEL_RANK = { read: 1, write: 2, admin: 3 };
const EXPECTED = 'Write one `name: level` per line, e.g. `contents: write`, or a JSON object: {"contents": "write"}.';
const ALL_PERMISSIONS_HINT = "Leave the input empty to get all of the installation's permissions.";
/** Why a `permissions` input cannot be used; `problems` holds one sentence or two per bad entry. */
class PermissionsError extends errors/* InputError */.dz {
    problems;
    /** `note` follows the problems once, e.g. the list of valid names that several of them need. */
    constructor(problems, note) {
        const body = problems.length === 1
            ? problems[0]
            : `has ${problems.length} problems: ${problems.map((p, i) => `(${i + 1}) ${p}`).join(' ')}`;
        super('permissions', note ? `${body} ${note}` : body);
        this.problems = problems;
    }
}
/** GitHub UI names and other names people reach for that the API spells differently. */
const OTHER_NAMES = {
    code_scanning: ['security_events'],
    code_scanning_alerts: ['security_events'],
    dependabot_alerts: ['vulnerability_alerts'],
    commit_statuses: ['statuses'],
    webhooks: ['repository_hooks', 'organization_hooks'],
    pr: ['pull_requests'],
    prs: ['pull_requests'],
};
function isPermission(name) {
    return Object.hasOwn(APP_PERMISSIONS, name);
}
/** A node's text as the input wrote it, for messages. */
function written(text, node) {
    if ((0,dist/* isNode */.Ll)(node) && node.range)
        return text.slice(node.range[0], node.range[1]).trim();
    return node === null || node === undefined ? '' : String(node);
}
function quote(text) {
    const oneLine = text.replace(/\s*\n\s*/g, ' ');
    return `'${oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine}'`;
}
/** "read", "read or write", "read, write or admin". */
function either(words) {
    return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function editDistance(a, b) {
    const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++)
        rows[0][j] = j;
    for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
        }
    return rows[a.length][b.length];
}
/** The valid names a mistyped one most likely meant, best first; empty when nothing is close. */
function closestNames(typed) {
    const wanted = typed.toLowerCase().replace(/-/g, '_');
    const expanded = wanted.replace(/^org_/, 'organization_').replace(/^repo_/, 'repository_');
    if (Object.hasOwn(OTHER_NAMES, wanted))
        return [...OTHER_NAMES[wanted]];
    const names = Object.keys(APP_PERMISSIONS);
    const scored = names.map((name) => ({
        name,
        distance: Math.min(editDistance(wanted, name), editDistance(expanded, name)),
    }));
    const best = Math.min(...scored.map((s) => s.distance));
    if (best <= Math.max(1, Math.floor(wanted.length / 3)))
        return scored.filter((s) => s.distance === best).map((s) => s.name);
    if (wanted.length < 3)
        return [];
    return names.filter((name) => name.includes(wanted) || name.includes(expanded)).slice(0, 5);
}
/** Why a name is not a permission; `listNames` when no likely name was found and the full list would help. */
function unknownName(typed) {
    const style = (name) => (typed.includes('-') ? name.replace(/_/g, '-') : name);
    const lower = typed.toLowerCase();
    if (lower === 'permissions')
        return {
            problem: `${quote(typed)} is the name of the workflow key, not a permission: give only the lines under it, unindented, e.g. \`contents: write\`.`,
        };
    if (lower === 'id-token' || lower === 'id_token')
        return {
            problem: `${quote(typed)} is a permission of the workflow's GITHUB_TOKEN (for OIDC), not of GitHub Apps: set it in the job's \`permissions:\` block and remove it here.`,
        };
    if (lower !== typed && isPermission(lower.replace(/-/g, '_')))
        return { problem: `${quote(typed)}: permission names are lowercase; write \`${lower}\`.` };
    const close = closestNames(typed).map((name) => `\`${style(name)}\``);
    if (close.length)
        return { problem: `${quote(typed)} is not a GitHub App permission. Did you mean ${either(close)}?` };
    return { problem: `${quote(typed)} is not a GitHub App permission.`, listNames: true };
}
function listPermissions(kebab) {
    const names = Object.keys(APP_PERMISSIONS).map((name) => (kebab ? name.replace(/_/g, '-') : name));
    return `The permissions a GitHub App can request are: ${names.join(', ')}.`;
}
function badLevel(typed, name, level) {
    const allowed = APP_PERMISSIONS[name];
    if (allowed.includes(level))
        return undefined;
    const lower = level.toLowerCase();
    if (allowed.includes(lower))
        return `${quote(`${typed}: ${level}`)}: levels are lowercase, as GitHub spells them; write \`${typed}: ${lower}\`.`;
    const can = allowed.length === 1 ? `can only be ${allowed[0]}` : `can be ${either(allowed)}`;
    const problem = `${quote(`${typed}: ${level}`)}: ${quote(level)} is not a level ${typed} can have; it ${can}.`;
    if (lower === 'none')
        return `${problem} To leave ${typed} out of the token, delete its line: the token gets only the permissions listed.`;
    return problem;
}
function describeSyntaxError(text, message) {
    const crowded = /^\s*[\w-]+\s*:\s*[^\s,#{}]+[\s,]+[\w-]+\s*:.*$/m.exec(text);
    if (crowded)
        return `puts several permissions on one line (${quote(crowded[0].trim())}): put each on its own line, e.g. \`contents: write\` (in a workflow, write the input as a \`|\` block, not \`>\`), or use braces: {contents: write, issues: read}.`;
    const where = message.split('\n')[0].replace(/:$/, '');
    return `is not valid YAML or JSON (${where}). ${EXPECTED}`;
}
function notAMapping(root) {
    if ((0,dist/* isSeq */.oP)(root))
        return root.items.every((item) => (0,dist/* isMap */.jh)(item))
            ? `is a list (its lines start with "- "), not a mapping: remove the dashes. ${EXPECTED}`
            : `is a list, not a mapping of each permission to its level. ${EXPECTED}`;
    if ((0,dist/* isScalar */.jn)(root) && typeof root.value === 'string') {
        const value = root.value.trim();
        if (value === 'read-all' || value === 'write-all')
            return `${quote(value)} is a workflow shorthand for GITHUB_TOKEN; here, list each permission the app token needs. ${EXPECTED} ${ALL_PERMISSIONS_HINT}`;
        const pair = /^([\w-]+)\s*(?::|=|\s)\s*([\w-]+)$/.exec(value);
        if (pair)
            return `${quote(value)} is not a mapping: write \`${pair[1]}: ${pair[2]}\`, the name, a colon and a space, then the level.`;
    }
    return `${quote(String(root))} is a single value, not a mapping of each permission to its level. ${EXPECTED}`;
}
/** The level an entry gives, or what is wrong with it. `typed` is the name as written, `name` its snake_case. */
function checkLevel(doc, text, typed, name, node) {
    const allowed = APP_PERMISSIONS[name];
    const resolved = (0,dist/* isAlias */.Vj)(node) ? node.resolve(doc) : node;
    const value = (0,dist/* isScalar */.jn)(resolved) ? resolved.value : resolved;
    if (value === null || value === undefined || value === '')
        return { problem: `${quote(typed)} has no level; write ${either(allowed.map((l) => `\`${typed}: ${l}\``))}.` };
    if ((0,dist/* isNode */.Ll)(resolved) && !(0,dist/* isScalar */.jn)(resolved)) {
        const source = written(text, resolved);
        const what = (0,dist/* isSeq */.oP)(resolved) ? `a list (${quote(source)})` : (0,dist/* isMap */.jh)(resolved) ? 'a nested mapping' : quote(source);
        return {
            problem: `${quote(typed)} has ${what} instead of a level; give the one level it needs, e.g. \`${typed}: ${allowed[allowed.length - 1]}\`.`,
        };
    }
    const level = String(value);
    const problem = badLevel(typed, name, level);
    return problem ? { problem } : { level: level };
}
function duplicate(name, first, again) {
    const allowed = APP_PERMISSIONS[name];
    const level = [again.level, first.level].find((l) => allowed.includes(l)) ?? allowed[0];
    const both = `${quote(`${first.typed}: ${first.level}`)} and ${quote(`${again.typed}: ${again.level}`)}`;
    const same = first.typed === again.typed ? `${quote(first.typed)} is given twice` : `${both} name the same permission`;
    const detail = first.typed === again.typed ? ` (${both})` : '';
    return `${same}${detail}; keep one line, e.g. \`${first.typed}: ${level}\`.`;
}
/**
 * Reads the `permissions` input into snake_case names and levels, checked against GitHub's list of app
 * permissions. Returns undefined for text that is empty or only comments (all of the installation's
 * permissions); throws a PermissionsError naming every bad entry and its fix.
 */
function parsePermissions(text) {
    const doc = (0,dist/* parseDocument */.Tp)(text, { uniqueKeys: false });
    if (doc.errors.length)
        throw new PermissionsError([describeSyntaxError(text, doc.errors[0].message)]);
    const root = doc.contents;
    if (root === null)
        return undefined;
    if (!(0,dist/* isMap */.jh)(root))
        throw new PermissionsError([notAMapping(root)]);
    if (!root.items.length)
        throw new PermissionsError([
            `is an empty mapping: list the permissions the token needs. ${EXPECTED} ${ALL_PERMISSIONS_HINT}`,
        ]);
    const permissions = {};
    const problems = [];
    /** Each permission given so far: its name and level as written. */
    const seen = new Map();
    let listNamesIn;
    for (const { key, value } of root.items) {
        const typed = (0,dist/* isScalar */.jn)(key) ? String(key.value ?? '') : key === null ? '' : String(key);
        const name = typed.replace(/-/g, '_');
        if (!typed) {
            problems.push(`an entry has no permission name. ${EXPECTED}`);
        }
        else if (!isPermission(name)) {
            const unknown = unknownName(typed);
            problems.push(unknown.problem);
            if (unknown.listNames)
                listNamesIn ??= typed.includes('-') ? 'kebab' : 'snake';
        }
        else if (seen.has(name)) {
            problems.push(duplicate(name, seen.get(name) ?? { typed, level: '' }, { typed, level: written(text, value) }));
        }
        else {
            seen.set(name, { typed, level: written(text, value) });
            const checked = checkLevel(doc, text, typed, name, value);
            if ('level' in checked)
                permissions[name] = checked.level;
            else
                problems.push(checked.problem);
        }
    }
    if (problems.length)
        throw new PermissionsError(problems, listNamesIn && listPermissions(listNamesIn === 'kebab'));
    return permissions;
}
/**
 * The requested permissions the installation does not cover, in request order. A grant covers a request at its
 * level or below (read < write < admin; only a few permissions have admin). `granted` is the installation's
 * `permissions` object as GitHub returns it.
 */
function findUngrantedPermissions(requested, granted) {
    const rank = (level) => (Object.hasOwn(LEVEL_RANK, level) ? LEVEL_RANK[level] : 0);
    return Object.entries(requested).flatMap(([name, level]) => {
        const has = Object.hasOwn(granted, name) ? granted[name] : undefined;
        if (has === undefined)
            return [{ name, requested: level }];
        return rank(has) >= rank(level) ? [] : [{ name, requested: level, granted: has }];
    });
}
/** A message for a run whose requested permissions the installation does not grant: what is missing, what it has, the fix. */
function describeUngranted(list, granted) {
    if (!list.length)
        return 'The installation grants every requested permission.';
    const missing = list.map(({ name, requested, granted: has }) => has === undefined
        ? `${name}: ${requested} (it grants no ${name} access)`
        : `${name}: ${requested} (it grants ${name}: ${has})`);
    const grants = Object.entries(granted).map(([name, level]) => `${name}: ${level}`);
    const [these, them] = list.length === 1 ? ['this permission', 'it'] : ['these permissions', 'them'];
    return (`The installation does not grant ${either(missing)}. ` +
        `Granted: ${grants.length ? grants.join(', ') : 'nothing'}. ` +
        "Ask an owner of the account to accept the app's new permissions on the installation's settings page " +
        `(if the app's settings do not ask for ${these} yet, add ${them} under "Permissions & events" first; ` +
        'that sends the owner the request), or request less.');
}


/***/ })

};
