export const id = 674;
export const ids = [674];
export const modules = {

/***/ 674:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   issueRingCentralToken: () => (/* binding */ issueRingCentralToken)
/* harmony export */ });
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2462);
/* harmony import */ var _with_http_client_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5186);
/* harmony import */ var _ringcentral_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3149);



/** The access token for RingCentral's JWT credential, with what the post step needs to end its session. */
async function issueRingCentralToken(settings, deps) {
    const credentials = await (0,_with_http_client_js__WEBPACK_IMPORTED_MODULE_2__/* .withHttpClient */ .G)(deps.runner, deps.env, 'RingCentral', (http) => (0,_ringcentral_js__WEBPACK_IMPORTED_MODULE_1__/* .exchangeRingCentralCredential */ .yH)(http, settings.client, settings.credential));
    deps.runner.info(`Got a RingCentral access token from ${settings.client.serverUrl}; it expires at ${credentials.expiresAt.toISOString()}.`);
    return {
        ...credentials,
        summary: [
            ...credentials.summary,
            ['Revoked after the job', settings.skipTokenRevoke ? 'no (skip-token-revoke)' : 'yes'],
        ],
        revoke: settings.skipTokenRevoke
            ? undefined
            : (0,_state_js__WEBPACK_IMPORTED_MODULE_0__/* .revokeState */ .S)('ringcentral', credentials.token, settings.client.serverUrl, credentials.expiresAt),
    };
}


/***/ })

};
