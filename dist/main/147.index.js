export const id = 147;
export const ids = [147];
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

/***/ 5147:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   awsKey: () => (/* binding */ awsKey)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _aws_sdk_client_kms__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2632);
/* harmony import */ var _http_failure_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2398);
/* harmony import */ var _http_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6697);
/* harmony import */ var _remote_key_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5164);
// Signing with an AWS KMS key (awskms:///KEY or awskms://HOST:PORT/KEY) through the official client,
// @aws-sdk/client-kms. The SDK finds the credentials (its default chain: the variables
// aws-actions/configure-aws-credentials exports, a profile, web identity, container or instance credentials) and,
// unless the URI names one, the endpoint (AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL, the shared config file). The
// region is the key ARN's when the key is named by one (a key lives in one region: any other answers "Invalid
// arn"), else AWS_REGION, AWS_DEFAULT_REGION or the profile's. The SDK signs, retries and corrects clock skew as
// it always does; each attempt goes out through the action's HTTP layer (its proxy rules, limits and deadline).
//
// Loaded only for an awskms:// key: this file is its own chunk, and the SDK comes with it.






const SIGNING_ALGORITHM = 'RSASSA_PKCS1_V1_5_SHA_256';
const RSA_SPECS = 'RSA_2048, RSA_3072 or RSA_4096';
const NEEDED = `an asymmetric RSA key with key usage SIGN_VERIFY (key spec ${RSA_SPECS})`;
const LOGIN = 'Sign in with aws-actions/configure-aws-credentials in this job before this step (it exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION), or set those variables yourself';
const GENERIC_NO_CREDENTIALS = 'Could not load credentials from any providers';
/** What the front end answers for credentials it does not take, as the SDK names them. */
const CREDENTIAL_ERRORS = new Set([
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'ExpiredTokenException',
    'ExpiredToken',
    'InvalidSignatureException',
    'IncompleteSignatureException',
    'SignatureDoesNotMatch',
    'MissingAuthenticationTokenException',
    'RequestExpired',
]);
/** The region a key ARN or alias ARN names: arn:aws:kms:REGION:ACCOUNT:key/ID. */
function arnRegion(keyId) {
    return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d*:(?:key|alias)\//.exec(keyId)?.[1];
}
/** KMS's requests are JSON: the SDK hands their body over as UTF-8 bytes (or text). */
function jsonText(body) {
    if (body === undefined || body === null || typeof body === 'string')
        return body ?? undefined;
    if (ArrayBuffer.isView(body))
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    throw new TypeError('the AWS SDK sent a request body that is neither text nor bytes');
}
/**
 * The SDK's requests, each attempt sent through the action's bounded fetch: the toolkit's proxy rules, the
 * attempt timeout, the body cap and the step's deadline. A failure the action's HTTP layer calls retryable is
 * marked so for the SDK's retry strategy, which decides (with its clock-skew correction) whether to try again.
 */
function requestHandler(deps, sent) {
    return {
        async handle(request) {
            const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`);
            url.pathname = request.path;
            for (const [name, value] of Object.entries(request.query ?? {}))
                for (const item of [value].flat())
                    if (item !== null)
                        url.searchParams.append(name, item);
            sent.url = url;
            const body = jsonText(request.body);
            const { fetch } = await deps.transport();
            deps.log.debug(`AWS KMS: ${request.method} ${(0,_http_url_js__WEBPACK_IMPORTED_MODULE_3__/* .showUrl */ .jr)(url)} (${request.headers['x-amz-target'] ?? 'no target'})`);
            try {
                const answer = await fetch(url, { method: request.method, headers: request.headers, body });
                const headers = {};
                for (const [name, value] of answer.headers)
                    headers[name] = value;
                const received = new Uint8Array(await answer.arrayBuffer());
                return { response: { statusCode: answer.status, reason: answer.statusText, headers, body: received } };
            }
            catch (error) {
                if (error instanceof _http_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .RequestProblem */ .ZW && error.failure.retryable)
                    Object.assign(error, { $retryable: {} });
                throw error;
            }
        },
        updateHttpClientConfig: () => undefined,
        httpHandlerConfigs: () => ({}),
    };
}
const quiet = () => undefined;
const attemptsMade = (attempts = 1) => (attempts === 1 ? '1 attempt' : `${attempts} attempts`);
function asSdkError(error) {
    if (error instanceof Error)
        return error;
    return { name: 'Error', message: String(error) };
}
async function awsKey(key, deps) {
    const secrets = new Set();
    const mask = (value) => {
        const secret = value?.trim();
        if (!secret || secrets.has(secret))
            return;
        secrets.add(secret);
        deps.mask(secret);
    };
    // The credentials the SDK may find in the environment, masked before anything is sent.
    const env = deps.env;
    mask(env.AWS_SECRET_ACCESS_KEY);
    mask(env.AWS_SESSION_TOKEN);
    mask(env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
    for (const file of [env.AWS_WEB_IDENTITY_TOKEN_FILE, env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE])
        if (file) {
            try {
                mask((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file, 'utf8'));
            }
            catch {
                // The SDK reports a file it cannot read.
            }
        }
    const sent = {};
    const client = new _aws_sdk_client_kms__WEBPACK_IMPORTED_MODULE_5__/* .KMSClient */ .pgq({
        region: arnRegion(key.keyId) ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined),
        endpoint: key.endpoint,
        requestHandler: requestHandler(deps, sent),
        // The SDK's warnings (two credential sources set, say) go to the step's log; its request log (every command's
        // input and output, signatures included) goes nowhere.
        logger: {
            trace: quiet,
            debug: quiet,
            info: quiet,
            warn: (...parts) => deps.log.info(`AWS SDK: ${parts.filter((p) => typeof p === 'string').join(' ')}`),
            error: quiet,
        },
    });
    // Credentials the chain fetched (web identity, container, instance, SSO) are masked before the request they sign.
    const maskCredentials = (next) => async (args) => {
        const credentials = await client.config.credentials();
        mask(credentials.secretAccessKey);
        mask(credentials.sessionToken);
        return next(args);
    };
    client.middlewareStack.addRelativeTo(maskCredentials, {
        name: 'appJwtMaskCredentials',
        relation: 'before',
        toMiddleware: 'httpSigningMiddleware',
    });
    const where = async () => {
        let region;
        try {
            region = await client.config.region();
        }
        catch {
            region = undefined;
        }
        return { region, endpoint: sent.url?.origin };
    };
    async function explain(error, action) {
        const { name, message, $metadata } = asSdkError(error);
        const { region, endpoint } = await where();
        const said = (text) => (0,_http_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)(text, [...secrets]);
        const answer = `${name}: ${said(message)}`;
        const uri = key.uri;
        if (name === 'CredentialsProviderError') {
            const sdkSaid = message && message !== GENERIC_NO_CREDENTIALS ? ` (the AWS SDK said: ${said(message)})` : '';
            const profile = env.AWS_PROFILE
                ? ` AWS_PROFILE is set ('${env.AWS_PROFILE}'): the SDK then reads that profile from the shared config files instead of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; unset it or add the profile.`
                : '';
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: no AWS credentials were found${sdkSaid}. ${LOGIN}; the role needs kms:Sign and kms:GetPublicKey on the key.${profile}`);
        }
        if (message === 'Region is missing')
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: no AWS region is set. Set AWS_REGION (aws-actions/configure-aws-credentials sets it from its aws-region input), or write the key as its ARN, which names its region.`);
        if (error instanceof _http_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .RequestProblem */ .ZW) {
            const { reason, hint } = error.failure;
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: AWS KMS at ${endpoint} could not be reached (${attemptsMade($metadata?.attempts)}): ${said(reason)}.${hint ? ` ${hint}` : ''}`);
        }
        switch (name) {
            case 'AccessDeniedException':
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: AWS KMS refused ${action} (${answer}). Allow ${action} on the key to the role this job signs in with, in the role's IAM policy or in the key policy; signing needs kms:Sign and kms:GetPublicKey.`);
            case 'NotFoundException':
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: AWS KMS${region ? ` in ${region}` : ''} has no such key (${answer}). Check the key ID, ARN or alias and the region: a key lives in one region and account, so set AWS_REGION to the key's region or write the key as its ARN.`);
            case 'DisabledException':
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: the key is disabled (${answer}). Enable it (aws kms enable-key --key-id KEY) or name another key.`);
            case 'KMSInvalidStateException':
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: the key cannot sign in its current state (${answer}). A key pending deletion can be restored with aws kms cancel-key-deletion, then aws kms enable-key; a key pending import needs its key material imported.`);
            case 'UnsupportedOperationException':
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri} is a symmetric key, which has no public key and cannot sign JWTs (${answer}). RS256 needs ${NEEDED}.`);
            case 'InvalidKeyUsageException':
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri} cannot make RS256 signatures (${answer}). RS256 needs ${NEEDED}.`);
        }
        if (CREDENTIAL_ERRORS.has(name)) {
            if (/scoped to a valid region/.test(message))
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: the KMS endpoint ${endpoint} does not serve ${region} (${answer}). Set AWS_REGION to the endpoint's region.`);
            if (/Signature expired|Signature not yet current/.test(message))
                return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: AWS refused the request's time (${answer}): this machine's clock is more than 15 minutes off. Fix the runner's clock (NTP).`);
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: AWS did not accept the credentials (${answer}). ${LOGIN}; the access key, secret key and session token must come from the same, unexpired sign-in.`);
        }
        // Anything else KMS (or something in its place) answered: throttling, an internal error, a proxy's page.
        const status = $metadata?.httpStatusCode;
        if (status === undefined)
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: ${action.replace('kms:', '')} failed before AWS KMS answered (${answer}).`);
        const later = status >= 500 || status === 429 || name === 'ThrottlingException';
        if (!(error instanceof Error && '$fault' in error))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: ${endpoint} answered ${action.replace('kms:', '')} with HTTP ${status} and a body that is not AWS KMS's JSON (${attemptsMade($metadata?.attempts)}). Check that the endpoint is AWS KMS (the URI's HOST:PORT, AWS_ENDPOINT_URL_KMS or AWS_ENDPOINT_URL) and that no proxy answers in its place.${later ? ' Run the job again later.' : ''}`);
        return new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${uri}: AWS KMS at ${endpoint} answered ${action.replace('kms:', '')} with HTTP ${status} (${answer}; ${attemptsMade($metadata?.attempts)}).${later ? ' Run the job again later.' : ''}`);
    }
    async function send(action, command) {
        try {
            return await command();
        }
        catch (error) {
            throw await explain(error, action);
        }
    }
    return {
        uri: key.uri,
        async publicKey() {
            const answer = await send('kms:GetPublicKey', () => client.send(new _aws_sdk_client_kms__WEBPACK_IMPORTED_MODULE_5__/* .GetPublicKeyCommand */ .QSA({ KeyId: key.keyId })));
            const spec = answer.KeySpec ?? answer.CustomerMasterKeySpec ?? 'unknown';
            if (!spec.startsWith('RSA_'))
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${key.uri} has key spec ${spec}; RS256 needs ${NEEDED}.`);
            if (answer.KeyUsage !== 'SIGN_VERIFY')
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${key.uri} has key usage ${answer.KeyUsage ?? '(none stated)'} (key spec ${spec}); RS256 needs key usage SIGN_VERIFY. Create a signing key: a key's usage cannot be changed.`);
            const algorithms = answer.SigningAlgorithms ?? [];
            if (!algorithms.includes(SIGNING_ALGORITHM))
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${key.uri} does not sign with ${SIGNING_ALGORITHM} (it offers ${algorithms.join(', ') || 'no signing algorithm'}); RS256 needs it.`);
            if (!answer.PublicKey)
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${key.uri}: AWS KMS answered GetPublicKey without the public key.`);
            const { region } = await where();
            deps.log.info(`Signing with AWS KMS key ${answer.KeyId ?? key.keyId} (${spec}${region ? `, ${region}` : ''}).`);
            return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
        },
        async signDigest(digest) {
            const answer = await send('kms:Sign', () => client.send(new _aws_sdk_client_kms__WEBPACK_IMPORTED_MODULE_5__/* .SignCommand */ .fJE({
                KeyId: key.keyId,
                Message: digest,
                MessageType: 'DIGEST',
                SigningAlgorithm: SIGNING_ALGORITHM,
            })));
            if (!answer.Signature)
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_4__/* .KmsError */ .M(`${key.uri}: AWS KMS answered Sign without a signature.`);
            return Buffer.from(answer.Signature);
        },
    };
}


/***/ })

};
