export const id = 598;
export const ids = [598];
export const modules = {

/***/ 9598:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createKmsSigner: () => (/* binding */ createKmsSigner)
/* harmony export */ });
/* harmony import */ var _remote_key_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5164);

async function createKmsSigner(key, deps) {
    switch (key.scheme) {
        case 'awskms':
            return (0,_remote_key_js__WEBPACK_IMPORTED_MODULE_0__/* .remoteSigner */ .d)(await (await Promise.all(/* import() */[__webpack_require__.e(632), __webpack_require__.e(147)]).then(__webpack_require__.bind(__webpack_require__, 5147))).awsKey(key, deps));
        case 'gcpkms':
            return (0,_remote_key_js__WEBPACK_IMPORTED_MODULE_0__/* .remoteSigner */ .d)(await (await Promise.all(/* import() */[__webpack_require__.e(492), __webpack_require__.e(877)]).then(__webpack_require__.bind(__webpack_require__, 5877))).gcpKey(key, deps));
        case 'azurekms':
            return (0,_remote_key_js__WEBPACK_IMPORTED_MODULE_0__/* .remoteSigner */ .d)(await (await Promise.all(/* import() */[__webpack_require__.e(669), __webpack_require__.e(876), __webpack_require__.e(992)]).then(__webpack_require__.bind(__webpack_require__, 4992))).azureKey(key, deps));
        case 'hashivault':
            return (0,_remote_key_js__WEBPACK_IMPORTED_MODULE_0__/* .remoteSigner */ .d)(await (await __webpack_require__.e(/* import() */ 298).then(__webpack_require__.bind(__webpack_require__, 2298))).vaultKey(key, deps));
    }
}


/***/ }),

/***/ 5164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ KmsError),
/* harmony export */   d: () => (/* binding */ remoteSigner)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
// A JWT signed by a key held elsewhere: the header and claims are encoded here exactly as with a PEM key, only
// the signature comes from the service. The key's algorithm is checked before the first signature, and every
// signature is verified against the key's public key (fetched once), so a wrong key fails here with a clear
// message instead of as the API's 401.


/** A failure of a signing service, told as cause and fix, naming the key URI and never a credential. */
class KmsError extends _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ {
}
const base64url = (value) => Buffer.from(value).toString('base64url');
/** A signer over a remote key, with the public key checked once and every signature verified. */
function remoteSigner(key) {
    let publicKey;
    return {
        async sign(claims) {
            publicKey ??= key.publicKey().then((pub) => {
                const bits = pub.asymmetricKeyDetails?.modulusLength ?? 0;
                if (pub.asymmetricKeyType !== 'rsa')
                    throw new KmsError(`${key.uri} is ${pub.asymmetricKeyType === 'ec' ? 'an EC' : `a ${String(pub.asymmetricKeyType)}`} key; RS256 JWTs need an RSA signing key (RSASSA-PKCS1-v1_5 with SHA-256), 2048 bits or more.`);
                if (bits < 2048)
                    throw new KmsError(`${key.uri} is a ${bits}-bit RSA key; RS256 needs at least 2048 bits.`);
                return pub;
            });
            const pub = await publicKey;
            const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
            const input = Buffer.from(signingInput);
            const signature = await key.signDigest((0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(input).digest(), input);
            if (!(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.verify)('sha256', input, pub, signature))
                throw new KmsError(`${key.uri} returned a signature that its own public key does not verify as RS256: the key signs with another algorithm (RSA-PSS?) or the service answered for another key. Use a key (version) made for RSASSA-PKCS1-v1_5 with SHA-256.`);
            const encoded = base64url(signature);
            return { token: `${signingInput}.${encoded}`, signature: encoded, expiresAt: new Date(claims.exp * 1000) };
        },
    };
}


/***/ })

};
