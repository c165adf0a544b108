export const id = 298;
export const ids = [298];
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

/***/ 2298:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   vaultKey: () => (/* binding */ vaultKey)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _http_failure_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2398);
/* harmony import */ var _http_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6697);
/* harmony import */ var _settings_api_url_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4409);
/* harmony import */ var _remote_key_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5164);
// hashivault://KEY: a key of Vault's transit secrets engine. Vault has no official Node client, so this speaks
// its HTTP API through the action's own transport (limits, deadline, retries, proxies): GET <mount>/keys/KEY for
// the key's type and public key, POST <mount>/sign/KEY for each signature. The settings are the ones Vault's own
// clients (and cosign) read: VAULT_ADDR, VAULT_TOKEN (hashicorp/vault-action exports it with exportToken: true),
// VAULT_NAMESPACE, and TRANSIT_SECRET_ENGINE_PATH for the mount.






const RSA_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096'];
const SYMMETRIC_TYPES = /^(aes\d+-gcm96|chacha20-poly1305|hmac|aes\d+-cmac)$/;
const MOUNT_SEGMENT = /^[A-Za-z0-9_.-]+$/;
const trimSlashes = (text) => text.replace(/^\/+|\/+$/g, '');
/** The settings from the environment; the token is masked the moment it is read, before anything can fail. */
function readSettings(key, deps) {
    const { uri } = key;
    const token = deps.env.VAULT_TOKEN?.trim() ?? '';
    if (token)
        deps.mask(token);
    const address = deps.env.VAULT_ADDR?.trim() ?? '';
    const login = 'log in to Vault in an earlier step of this job with hashicorp/vault-action and exportToken: true (it exports VAULT_TOKEN), or set VAULT_TOKEN from a secret';
    if (!address && !token)
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_ADDR and VAULT_TOKEN are not set. Set VAULT_ADDR to the Vault server's address in the job's env (for example VAULT_ADDR: https://vault.example.com:8200; hashicorp/vault-action does not export it), and ${login}.`);
    if (!address)
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_ADDR is not set. Set it to the Vault server's address in the job's or step's env, for example VAULT_ADDR: https://vault.example.com:8200 (hashicorp/vault-action takes the address as its url input but does not export it).`);
    let base;
    try {
        base = (0,_settings_api_url_js__WEBPACK_IMPORTED_MODULE_4__/* .parseApiBase */ .x)(address, 'VAULT_ADDR');
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz)
            throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_ADDR ${error.detail}`);
        throw error;
    }
    if (/\/v1$/.test(new URL(base).pathname))
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_ADDR '${base}' ends in /v1, which the action adds itself. Give the server's address: ${base.replace(/\/v1$/, '')}`);
    if (!token)
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_TOKEN is not set: ${login}.`);
    if (/[\s\p{Cc}]/u.test(token))
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_TOKEN holds spaces or control characters, so it is not a Vault token. Store the token without them, or ${login}.`);
    const mountText = deps.env.TRANSIT_SECRET_ENGINE_PATH?.trim() || 'transit';
    const mount = trimSlashes(mountText);
    const segments = mount.split('/');
    if (!segments.every((segment) => MOUNT_SEGMENT.test(segment) && segment !== '.' && segment !== '..'))
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: TRANSIT_SECRET_ENGINE_PATH '${mountText}' is not a mount path. Give the transit engine's path as 'vault secrets list' shows it, without /v1/ (for example transit or team-a/transit), or leave it unset for transit.`);
    const namespaceText = deps.env.VAULT_NAMESPACE?.trim() ?? '';
    const namespace = trimSlashes(namespaceText);
    if (/[\s\p{Cc}]/u.test(namespace))
        throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: VAULT_NAMESPACE '${namespaceText}' holds spaces or control characters. Give the namespace path, for example admin or admin/team-a.`);
    return { base, token, namespace: namespace || undefined, mount };
}
/** Vault's `errors`, with go-multierror's "1 error occurred:\n\t* ...\n\n" wrapping taken off. */
function vaultErrors(body) {
    const list = body && typeof body === 'object' && 'errors' in body && Array.isArray(body.errors) ? body.errors : [];
    return list
        .filter((item) => typeof item === 'string')
        .flatMap((item) => {
        const lines = item.trim().split('\n');
        if (!/^\d+ errors? occurred:$/.test(lines[0].trim()))
            return [item.trim()];
        return lines
            .slice(1)
            .map((line) => line.trim().replace(/^\*\s*/, ''))
            .filter(Boolean);
    });
}
async function vaultKey(key, deps) {
    const { uri, keyName } = key;
    const settings = readSettings(key, deps);
    const { base, token, namespace, mount } = settings;
    const keyPath = `${mount}/keys/${keyName}`;
    const signPath = `${mount}/sign/${keyName}`;
    const policy = `path "${keyPath}" { capabilities = ["read"] } and path "${signPath}" { capabilities = ["update"] }`;
    const inNamespace = namespace ? ` in namespace '${namespace}'` : '';
    const namespaceHint = namespace
        ? ''
        : ' On Vault Enterprise or HCP Vault, also set VAULT_NAMESPACE to the namespace the key is in (HCP Vault: admin).';
    const headers = { 'X-Vault-Token': token };
    if (namespace)
        headers['X-Vault-Namespace'] = namespace;
    /** The version whose public key was checked: every signature is asked of it, even after a rotation. */
    let version;
    async function send(method, path, json) {
        const url = (0,_http_url_js__WEBPACK_IMPORTED_MODULE_3__/* .joinUrl */ .we)(base, `/v1/${path}`);
        try {
            const transport = await deps.transport();
            return { response: await transport.request({ service: 'Vault', method, url, headers, json }), url };
        }
        catch (error) {
            if (error instanceof _http_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpError */ .j$)
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault (VAULT_ADDR) did not answer. ${error.message}`);
            throw error;
        }
    }
    /** One message for a refusal: what Vault said, and what to change. */
    function refusal(method, url, response) {
        const said = vaultErrors(response.body).map((text) => (0,_http_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)(text, [token]));
        const quoted = said.length ? `: ${said.join('; ')}` : '';
        const answered = `${method} ${url} answered ${response.status}${quoted}`;
        const has = (pattern) => said.some((text) => pattern.test(text));
        if (response.status === 403 && has(/^invalid token$/))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault does not accept VAULT_TOKEN (${answered}): it has expired or been revoked, or it belongs to another Vault${namespace ? ' or namespace' : ''}. Log in again in this job right before this step (hashicorp/vault-action with exportToken: true), with a token TTL that covers the job.${namespaceHint}`);
        if (response.status === 403)
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault denied ${method === 'GET' ? 'reading the key' : 'signing with the key'} (${answered}). Grant the token's policy${inNamespace}: ${policy}.${namespaceHint}`);
        if (response.status === 404 && has(/^no handler for route/))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: no secrets engine is mounted at ${mount}/${inNamespace} (${answered}). Set TRANSIT_SECRET_ENGINE_PATH to the transit engine's mount path ('vault secrets list' shows it).${namespaceHint}`);
        if ((response.status === 404 && method === 'GET') || (response.status === 400 && has(/^signing key not found$/)))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault has no transit key '${keyName}' at ${keyPath}${inNamespace} (${answered}). Check the key name in kms-key${mount === 'transit' ? ', and TRANSIT_SECRET_ENGINE_PATH if the transit engine is mounted elsewhere' : ' and TRANSIT_SECRET_ENGINE_PATH'}.${namespaceHint}`);
        if (response.status === 503 && has(/^Vault is sealed$/))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault is sealed (${answered}). It cannot sign until an operator unseals it; run the job again then.`);
        if (has(/does not contain a private part/))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: version ${version ?? 'latest'} of the transit key holds only a public key, so Vault cannot sign with it (${answered}). Import the app's private key into this key (vault transit import, see the README), or use another key.`);
        if (has(/less than the minimum encryption key version/))
            return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: version ${version ?? 'latest'} of the transit key is below its min_encryption_version, so Vault refuses to sign with it (${answered}). The key was rotated during this step: run the job again, and register the new version's public key with the app.`);
        return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault refused (${answered}).${response.status >= 500 ? ' Run the job again later; if it keeps failing, check the Vault server.' : ''}`);
    }
    function malformed(method, url, what) {
        return new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri}: Vault's answer to ${method} ${url} ${what}. Is VAULT_ADDR (${base}) a Vault server, and ${mount}/ its transit engine?`);
    }
    return {
        uri,
        async publicKey() {
            const { response, url } = await send('GET', keyPath);
            if (response.status !== 200)
                throw refusal('GET', url, response);
            const data = response.body?.data;
            const type = data?.type;
            if (typeof type !== 'string')
                throw malformed('GET', url, 'names no key type');
            if (!RSA_TYPES.includes(type)) {
                const kind = SYMMETRIC_TYPES.test(type)
                    ? 'a symmetric key, which cannot sign'
                    : /^(ecdsa-|ed25519)/.test(type)
                        ? 'an elliptic-curve key: Vault signs with it, but not RS256'
                        : 'not an RSA key';
                throw new _remote_key_js__WEBPACK_IMPORTED_MODULE_5__/* .KmsError */ .M(`${uri} is a transit key of type ${type} (${kind}). RS256 JWTs need a key of type rsa-2048, rsa-3072 or rsa-4096: import the app's private key into Vault (see the README), or create one with 'vault write ${mount}/keys/NAME type=rsa-2048' and register its public key with the app, and name that key in kms-key.`);
            }
            const latest = data?.latest_version;
            const entry = data?.keys?.[String(latest)];
            if (typeof latest !== 'number' ||
                !Number.isInteger(latest) ||
                latest < 1 ||
                typeof entry?.public_key !== 'string')
                throw malformed('GET', url, 'has no public key for the latest version');
            let publicKey;
            try {
                publicKey = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(entry.public_key);
            }
            catch {
                throw malformed('GET', url, `has a public key for version ${latest} that is not a PEM public key`);
            }
            version = latest;
            deps.log.debug(`Vault transit key ${keyPath}${inNamespace}: ${type}, signing with version ${latest}.`);
            return publicKey;
        },
        async signDigest(_digest, signingInput) {
            // The whole signing input, hashed by Vault with SHA-256, and PKCS#1 v1.5: Vault's default is PSS.
            const { response, url } = await send('POST', signPath, {
                input: signingInput.toString('base64'),
                hash_algorithm: 'sha2-256',
                signature_algorithm: 'pkcs1v15',
                ...(version === undefined ? {} : { key_version: version }),
            });
            if (response.status !== 200)
                throw refusal('POST', url, response);
            const signature = response.body?.data?.signature;
            const match = typeof signature === 'string' ? /^vault:v\d+:([A-Za-z0-9+/]+={0,2})$/.exec(signature) : null;
            if (!match)
                throw malformed('POST', url, 'holds no signature of the form vault:v<N>:<base64>');
            return Buffer.from(match[1], 'base64');
        },
    };
}


/***/ })

};
