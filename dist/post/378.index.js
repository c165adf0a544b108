export const id = 378;
export const ids = [378];
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

/***/ 5378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readRingCentralClient: () => (/* binding */ readRingCentralClient),
  readRingCentralSettings: () => (/* binding */ readRingCentralSettings)
});

// EXTERNAL MODULE: ./src/api-url.ts
var api_url = __webpack_require__(5931);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/private-key.ts

/** Why a private-key input cannot be used. The message never quotes the key. */
class private_key_PrivateKeyError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'PrivateKeyError';
}
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)(?:-----END \1-----|$)/g;
const DOWNLOAD_HINT = (/* unused pure expression or super */ null && ("The key is the file downloaded when it was made (a GitHub App's settings page > Private keys > Generate a " +
    "private key; a Vonage application's private.key); store the whole file, BEGIN and END lines included, in the secret."));
const KEY_TYPE_NAMES = { ed25519: 'Ed25519', ed448: 'Ed448', 'rsa-pss': 'RSA-PSS', dsa: 'DSA' };
function unwrap(text) {
    let value = text.trim();
    const quoted = /^(['"])([\s\S]*)\1$/.exec(value);
    if (quoted)
        value = quoted[2].trim();
    // Literal "\n" escapes (a key pasted as one JSON-ish line) and Windows line ends.
    return value.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
}
function decodeBase64Pem(value) {
    if (!/^[A-Za-z0-9+/=_\-\s]+$/.test(value))
        return undefined;
    const decoded = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
    return decoded.includes('-----BEGIN ') ? unwrap(decoded) : undefined;
}
function describeNonPem(value) {
    const length = `${value.length} characters, no "-----BEGIN" line`;
    if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+) /.test(value))
        return `holds an OpenSSH public key, not a private key. ${DOWNLOAD_HINT}`;
    if (value.startsWith('PuTTY-User-Key-File'))
        return 'holds a PuTTY (.ppk) key. Convert it to PEM with `puttygen key.ppk -O private-openssh -o key.pem`, or use the .pem file the app settings page downloads.';
    if (/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(value) || /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(value))
        return `holds a key fingerprint (as the app's settings page lists it), not the key itself. ${DOWNLOAD_HINT}`;
    if (/^(gh[pousr]_|github_pat_)/.test(value))
        return `holds a GitHub token, not a private key. ${DOWNLOAD_HINT}`;
    if (/^[0-9a-f]{40}$/i.test(value))
        return `holds 40 hexadecimal characters, which looks like an app's client secret, not its private key. ${DOWNLOAD_HINT}`;
    if (value.length < 200)
        return `is ${length}: that is a short string (a client secret, an ID, a fingerprint, or a secret's name instead of its value?), not a private key. ${DOWNLOAD_HINT}`;
    return `is ${length} and is not a base64-encoded PEM either. ${DOWNLOAD_HINT}`;
}
function describeLabel(label, body) {
    switch (label) {
        case 'RSA PRIVATE KEY':
        case 'PRIVATE KEY':
            return body.includes('Proc-Type: 4,ENCRYPTED') ? describeLabel('ENCRYPTED PRIVATE KEY', body) : undefined;
        case 'ENCRYPTED PRIVATE KEY':
            return 'is encrypted with a passphrase, which the action cannot use. Decrypt it with `openssl pkey -in key.pem -out key-plain.pem` (it asks for the passphrase) and store key-plain.pem in the secret.';
        case 'OPENSSH PRIVATE KEY':
            return `is an OpenSSH private key (ssh-keygen's format, as for a deploy key), not a PEM key. If it is the RSA key you mean, convert a copy to PEM with \`ssh-keygen -p -m PEM -f key\`; otherwise use the app's key. ${DOWNLOAD_HINT}`;
        case 'PUBLIC KEY':
        case 'RSA PUBLIC KEY':
            return `holds a public key; signing needs the private key. ${DOWNLOAD_HINT}`;
        case 'CERTIFICATE':
            return `holds a certificate, not a private key. ${DOWNLOAD_HINT}`;
        case 'EC PRIVATE KEY':
            return 'is an EC key; RS256 JWTs need an RSA key of 2048 bits or more.';
        case 'DSA PRIVATE KEY':
            return 'is a DSA key; RS256 JWTs need an RSA key of 2048 bits or more.';
        default:
            return `holds a PEM block of type "${label}", not an RSA private key. ${DOWNLOAD_HINT}`;
    }
}
function findBlock(value) {
    const blocks = [...value.matchAll(PEM_BLOCK)].map((m) => ({
        label: m[1],
        body: m[2],
        complete: m[0].endsWith(`-----END ${m[1]}-----`),
    }));
    // A file may hold a certificate and then the key; the key is what we want.
    return blocks.find((b) => b.label.endsWith('PRIVATE KEY')) ?? blocks[0];
}
function parseRsaKey(label, body) {
    const base64 = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
        throw new private_key_PrivateKeyError('has characters between its BEGIN and END lines that are not base64: the key was damaged when it was copied. Paste the .pem file again, unchanged.');
    const lines = base64.match(/.{1,64}/g) ?? [];
    const pem = [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
    let key;
    try {
        key = createPrivateKey({ key: pem, format: 'pem' });
    }
    catch {
        throw new private_key_PrivateKeyError(`could not be read as an RSA key: its body (${base64.length} base64 characters) is damaged or incomplete. Paste the whole .pem file again, unchanged.`);
    }
    const type = key.asymmetricKeyType;
    if (type !== 'rsa') {
        const label = type === 'ec'
            ? `EC (${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'})`
            : (KEY_TYPE_NAMES[type ?? ''] ?? String(type).toUpperCase());
        const name = `${label.startsWith('D') ? 'a' : 'an'} ${label}`;
        throw new private_key_PrivateKeyError(`is ${name} key; RS256 JWTs need an RSA key of 2048 bits or more.`);
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048)
        throw new private_key_PrivateKeyError(`is a ${bits}-bit RSA key; RS256 needs at least 2048 bits. Generate a new key (GitHub's are 2048-bit) and register its public half with the app.`);
    return key;
}
/**
 * Turns the text of a private-key input into a key, forgiving the ways secrets get mangled (quotes, literal
 * "\n", CRLF, whitespace, base64 of the whole file) and precise about everything else.
 */
function private_key_normalizePrivateKey(text) {
    const secrets = [text.trim()];
    let value = unwrap(text);
    if (!value)
        throw new private_key_PrivateKeyError('is empty. Pass the secret that holds the key (private-key: ${{ secrets.APP_PRIVATE_KEY }}); a secret that does not exist, or one a workflow triggered from a fork cannot read, is empty.');
    if (!value.includes('-----BEGIN ')) {
        const decoded = decodeBase64Pem(value);
        if (!decoded)
            throw new private_key_PrivateKeyError(describeNonPem(value));
        secrets.push(value);
        value = decoded;
    }
    const { label, body, complete } = findBlock(value);
    const problem = describeLabel(label, body);
    if (problem)
        throw new private_key_PrivateKeyError(problem);
    if (!complete) {
        const lines = value.split('\n').filter((l) => l.trim()).length;
        throw new private_key_PrivateKeyError(`was cut short: it has the "-----BEGIN ${label}-----" line but no "-----END ${label}-----" line (${lines} non-empty line${lines === 1 ? '' : 's'}; a 2048-bit key has about 27). Store the whole .pem file in the secret.`);
    }
    const key = parseRsaKey(label, body);
    secrets.push(...value.split('\n'), ...(body.replace(/\s+/g, '').match(/.{1,64}/g) ?? []));
    return {
        key,
        secrets: [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length >= 8 && !s.startsWith('-----')))],
    };
}

;// CONCATENATED MODULE: ./src/input-readers.ts


const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
function readBoolean(getInput, name) {
    const value = getInput(name);
    if (!value || FALSE.includes(value))
        return false;
    if (TRUE.includes(value))
        return true;
    throw new errors/* InputError */.dz(name, `'${value}' is not a boolean: write true or false.`);
}
function readSeconds(getInput, name, range, why) {
    const value = getInput(name);
    if (!value)
        return range.fallback;
    const seconds = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(seconds >= range.min && seconds <= range.max))
        throw new InputError(name, `'${value}' is not a whole number of seconds from ${range.min} to ${range.max}. ${why}`);
    return seconds;
}
function readPrivateKey(getInput) {
    try {
        return normalizePrivateKey(getInput('private-key'));
    }
    catch (error) {
        if (error instanceof PrivateKeyError)
            throw new InputError('private-key', error.message);
        throw error;
    }
}
/** YAML or JSON text, parsed; the YAML parser is loaded only when such an input is given. */
async function readYamlOrJson(getInput, name) {
    const text = getInput(name);
    if (!text)
        return undefined;
    const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
    try {
        return parse(text);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new InputError(name, `is not valid YAML or JSON (${reason}).`);
    }
}

;// CONCATENATED MODULE: ./src/jwt-claims.ts
function decodeSegment(segment) {
    try {
        const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
        return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * A JWT's header and claims, decoded without verifying it, or why it is not a JWT (in words that never quote
 * it: a JWT is a secret).
 */
function decodeJwt(token) {
    const segments = token.split('.');
    if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s)))
        return {
            problem: `a JWT has three base64url parts separated by dots; this has ${segments.length} part${segments.length === 1 ? '' : 's'}${segments.length === 3 ? ', not all base64url' : ''}.`,
        };
    const header = decodeSegment(segments[0]);
    const claims = decodeSegment(segments[1]);
    if (!header)
        return { problem: 'its header is not base64url-encoded JSON.' };
    if (!claims)
        return { problem: 'its claims part is not base64url-encoded JSON.' };
    return { header, claims, signature: segments[2] };
}

// EXTERNAL MODULE: ./src/providers/ringcentral-client.ts
var ringcentral_client = __webpack_require__(7237);
;// CONCATENATED MODULE: ./src/inputs-ringcentral.ts





const CONSOLE = "the app's Credentials page in the RingCentral developer console";
/** The settings RingCentral needs; the post step reads the same inputs to revoke. */
function readRingCentralClient(getInput) {
    const clientId = getInput('client-id');
    if (!clientId)
        throw new errors/* InputError */.dz('client-id', `is required with provider: ringcentral: the app's client ID, from ${CONSOLE}.`);
    const clientSecret = getInput('client-secret');
    if (!clientSecret)
        throw new errors/* InputError */.dz('client-secret', `is required with provider: ringcentral: the app's client secret, from ${CONSOLE}. Keep it in a secret.`);
    const serverUrl = (0,api_url/* parseApiBase */.xA)(getInput('server-url') || ringcentral_client/* RINGCENTRAL_SERVER */.Gj, 'server-url');
    return { clientId, clientSecret, serverUrl };
}
function readRingCentralSettings(getInput, nowSeconds = Math.floor(Date.now() / 1000)) {
    const credential = getInput('jwt');
    if (!credential)
        throw new errors/* InputError */.dz('jwt', 'is required with provider: ringcentral: the JWT credential created in the RingCentral developer console (Credentials > JWT). Keep it in a secret.');
    const decoded = decodeJwt(credential);
    if ('problem' in decoded)
        throw new errors/* InputError */.dz('jwt', `is not a JWT: ${decoded.problem} Copy the whole JWT credential from the RingCentral developer console.`);
    const { claims } = decoded;
    if (typeof claims.exp === 'number' && claims.exp <= nowSeconds)
        throw new errors/* InputError */.dz('jwt', `is a JWT credential that expired at ${new Date(claims.exp * 1000).toISOString()}. Create a new one in the RingCentral developer console and update the secret.`);
    return {
        provider: 'ringcentral',
        client: readRingCentralClient(getInput),
        credential,
        skipTokenRevoke: readBoolean(getInput, 'skip-token-revoke'),
    };
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


/***/ })

};
