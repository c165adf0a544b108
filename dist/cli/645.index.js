export const id = 645;
export const ids = [645];
export const modules = {

/***/ 6645:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  issueRingCentralToken: () => (/* binding */ issueRingCentralToken)
});

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/with-http-client.ts
var with_http_client = __webpack_require__(5186);
// EXTERNAL MODULE: ./src/api-url.ts
var api_url = __webpack_require__(5931);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/providers/ringcentral-client.ts
var ringcentral_client = __webpack_require__(7237);
;// CONCATENATED MODULE: ./src/providers/ringcentral.ts



const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
class RingCentralError extends errors/* ActionError */.lZ {
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
            return `RingCentral refused the app's credentials ${raw}: client-id '${client.clientId}' is not an app on ${client.serverUrl}, or client-secret is not its secret. Copy both from the app's Credentials page in ${console}; a sandbox app's credentials work only with server-url: ${ringcentral_client/* RINGCENTRAL_SANDBOX */.eK}.`;
        case 'OAU-251':
            return `The app '${client.clientId}' may not use the JWT flow ${raw}. In ${console}, open the app's Settings > Auth and enable "JWT auth flow".`;
        case 'OAU-250':
            return `RingCentral could not use the JWT credential ${raw}: it is not a JWT credential of ${client.serverUrl}. A credential made for the sandbox works only with server-url: ${ringcentral_client/* RINGCENTRAL_SANDBOX */.eK}, and one for production only with ${ringcentral_client/* RINGCENTRAL_SERVER */.Gj}.`;
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
        url: (0,api_url/* joinUrl */.we)(client.serverUrl, '/restapi/oauth/token'),
        headers: { authorization: (0,ringcentral_client/* basicAuthorization */.aR)(client), accept: 'application/json' },
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
        url: joinUrl(client.serverUrl, '/restapi/oauth/revoke'),
        headers: { authorization: basicAuthorization(client), accept: 'application/json' },
        form: { token },
    });
    if (response.status === 200 || response.status === 204)
        return 'Revoked the RingCentral access token; its session has ended.';
    const { code, text } = errorOf(response);
    throw new RingCentralError(`RingCentral answered ${response.status} ${code}${text ? ` (${text})` : ''} to the revoke request`);
}

;// CONCATENATED MODULE: ./src/providers/ringcentral-credentials.ts



/** The access token for RingCentral's JWT credential, with what the post step needs to end its session. */
async function issueRingCentralToken(settings, deps) {
    const credentials = await (0,with_http_client/* withHttpClient */.G)(deps.runner, deps.env, 'RingCentral', (http) => exchangeRingCentralCredential(http, settings.client, settings.credential));
    deps.runner.info(`Got a RingCentral access token from ${settings.client.serverUrl}; it expires at ${credentials.expiresAt.toISOString()}.`);
    return (0,state/* revokedAfterJob */.ol)(credentials, 'ringcentral', settings.client.serverUrl, settings.skipTokenRevoke);
}


/***/ })

};
