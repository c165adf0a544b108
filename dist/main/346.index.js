export const id = 346;
export const ids = [346];
export const modules = {

/***/ 6346:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   configureGit: () => (/* binding */ configureGit),
/* harmony export */   gitKeys: () => (/* binding */ gitKeys),
/* harmony export */   gitOrigin: () => (/* binding */ gitOrigin),
/* harmony export */   helperScript: () => (/* binding */ helperScript),
/* harmony export */   helperValue: () => (/* binding */ helperValue),
/* harmony export */   parseGitState: () => (/* binding */ parseGitState),
/* harmony export */   restoreGit: () => (/* binding */ restoreGit)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2697);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3916);
/* harmony import */ var _http_url_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6697);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3175);
// configure-git on the runner: the bot's identity and the token(s) in the runner's global git config, and the
// post step that puts back what was there. git itself is run (never a shell) and told only paths and names: the
// tokens live in a file (0600) in a fresh folder under RUNNER_TEMP that a small credential helper script reads,
// so no command line and no value `git config --list` prints holds a token.









/** The helper folder's name starts so; the post step deletes no folder whose name does not. */
const FOLDER_PREFIX = 'app-jwt-git-';
/** The user name git sends with a token; GitHub reads only the password. */
const TOKEN_USER = 'x-access-token';
const reasonOf = (error) => (error !== null && typeof error === 'object' && 'message' in error ? String(error.message) : String(error)).replace(/\.$/, '');
/** This process's environment, handed to git as it is (HOME, GIT_CONFIG_GLOBAL, RUNNER_TEMP's neighbours). */
const processEnv = () => Object.fromEntries(Object.entries(process.env).filter((entry) => entry[1] !== undefined));
/** A git command that failed: `detail` is what git said (or its exit code), without the command. */
class GitCommandError extends _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ {
    detail;
    constructor(command, detail) {
        super(`git ${command} failed: ${detail}.`);
        this.detail = detail;
    }
}
/** Runs git with these arguments; what it prints is returned, never logged. */
async function git(args, allowedCodes = [0]) {
    let result;
    try {
        result = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H)('git', args, { silent: true, ignoreReturnCode: true, env: processEnv() });
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`configure-git needs git on the runner's PATH, and it could not be run: ${reasonOf(error)}.`);
    }
    if (!allowedCodes.includes(result.exitCode)) {
        // The command up to the key, not the value: a value put back may be a helper command of the user's own.
        const end = args.indexOf('--');
        const what = (end < 0 ? args : [...args.slice(0, end), args[end + 1]]).join(' ');
        const said = result.stderr.trim().split('\n')[0].replace(/\.$/, '');
        throw new GitCommandError(what, said || `exit code ${result.exitCode}`);
    }
    return { code: result.exitCode, stdout: result.stdout };
}
/** Every value of a key in the global config, in order; none when it is not set. */
async function globalValues(key) {
    const { code, stdout } = await git(['config', '--global', '--null', '--get-all', '--', key], [0, 1]);
    if (code === 1)
        return [];
    return stdout.split('\0').slice(0, -1);
}
/** The file `git config --global` writes, by git's own rule. */
function globalConfigFile(env) {
    if (env.GIT_CONFIG_GLOBAL)
        return env.GIT_CONFIG_GLOBAL;
    const home = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(env.HOME || (0,node_os__WEBPACK_IMPORTED_MODULE_4__.homedir)(), '.gitconfig');
    const xdg = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(env.XDG_CONFIG_HOME || (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(env.HOME || (0,node_os__WEBPACK_IMPORTED_MODULE_4__.homedir)(), '.config'), 'git', 'config');
    return !(0,node_fs__WEBPACK_IMPORTED_MODULE_3__.existsSync)(home) && (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.existsSync)(xdg) ? xdg : home;
}
/** The origin git may send the tokens to: https, or http on a loopback address (the tests' git server). */
function gitOrigin(serverUrl) {
    let url;
    try {
        url = new URL(serverUrl);
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`configure-git: the server URL ${JSON.stringify(serverUrl)} is not a URL.`);
    }
    const loopbackHttp = url.protocol === 'http:' && (0,_http_url_js__WEBPACK_IMPORTED_MODULE_7__/* .isLoopbackHost */ .cW)(url.hostname);
    if (url.protocol !== 'https:' && !loopbackHttp)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`configure-git: git sends tokens over https only, and the server URL ${url.origin} is not https.`);
    return new URL(url.origin);
}
/** The config keys configure-git sets, in the order it sets them. */
function gitKeys(origin) {
    return {
        name: 'user.name',
        email: 'user.email',
        helper: `credential.${origin}.helper`,
        useHttpPath: `credential.${origin}.useHttpPath`,
    };
}
/** Quoted for sh: single quotes, a single quote in it closed, escaped and reopened. */
const shQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
/**
 * The credential helper: for `get` on this origin, the token of the account the path starts with (GitHub logins
 * are case-insensitive), else the first token; nothing for any other origin; `store` and `erase` do nothing.
 */
function helperScript(origin, tokensFile) {
    return [
        '#!/bin/sh',
        `# git credential helper of app-jwt-action (configure-git) for ${origin.origin}; the post step deletes it.`,
        'if [ "$1" != get ]; then cat >/dev/null; exit 0; fi',
        'lower() { printf %s "$1" | tr "[:upper:]" "[:lower:]"; }',
        'protocol= host= path=',
        'while IFS= read -r line && [ -n "$line" ]; do',
        '  case $line in',
        '    protocol=*) protocol=${line#protocol=} ;;',
        '    host=*) host=${line#host=} ;;',
        '    path=*) path=${line#path=} ;;',
        '  esac',
        'done',
        `[ "$(lower "$protocol")" = ${shQuote(origin.protocol.slice(0, -1))} ] || exit 0`,
        `[ "$(lower "$host")" = ${shQuote(origin.host)} ] || exit 0`,
        'account=$(lower "${path%%/*}")',
        'token= first=',
        'while read -r name value; do',
        '  [ -n "$first" ] || first=$value',
        '  if [ "$name" = "$account" ]; then token=$value; break; fi',
        `done < ${shQuote(tokensFile.replace(/\\/g, '/'))}`,
        `printf 'username=${TOKEN_USER}\\npassword=%s\\n' "\${token:-$first}"`,
        '',
    ].join('\n');
}
/** What `credential.<origin>.helper` holds: the script's path (with / on Windows too, for git's sh). */
function helperValue(script) {
    const path = script.replace(/\\/g, '/');
    // git runs an absolute path as it is, through sh; a path sh would split is run as a quoted shell command.
    return /^[\w/.:@%+=,-]+$/.test(path) ? path : `!${shQuote(path)}`;
}
function checkSetup(setup) {
    if (!setup.tokens.length)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ('configure-git: there is no token to set up git with.');
    for (const { account, token } of setup.tokens) {
        if (!/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*)$/.test(account))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`configure-git: ${JSON.stringify(account)} is not an account name git can match.`);
        if (!/^[\x21-\x7e]+$/.test(token))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`configure-git: the token of ${account} holds characters git cannot send.`);
    }
}
/**
 * Sets user.name and user.email to the bot and makes git answer this server's origin with the token of the
 * account a repository belongs to. What it changes, and what was there, is saved for the post step first.
 */
async function configureGit(setup) {
    // git runs with this process's environment: the config file and RUNNER_TEMP are read from the same one.
    const env = process.env;
    for (const { token } of setup.tokens)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    checkSetup(setup);
    const origin = gitOrigin(setup.serverUrl);
    const keys = gitKeys(origin.origin);
    const file = globalConfigFile(env);
    const saved = {
        folder: (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_4__.tmpdir)(), `${FOLDER_PREFIX}${(0,node_crypto__WEBPACK_IMPORTED_MODULE_2__.randomUUID)()}`),
        file,
        fileExisted: (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.existsSync)(file),
        keys: [],
    };
    for (const key of Object.values(keys))
        saved.keys.push({ key, prior: await globalValues(key) });
    // Saved before the first change: a step that fails halfway still leaves the post step all it needs.
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_state_js__WEBPACK_IMPORTED_MODULE_8__/* .State */ .Uw.git, JSON.stringify(saved));
    const set = (key, value) => git(['config', '--global', '--replace-all', '--', key, value]);
    await set(keys.name, setup.user.name);
    await set(keys.email, setup.user.email);
    const tokensFile = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(saved.folder, 'tokens');
    const script = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(saved.folder, 'credential-helper.sh');
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.mkdirSync)(saved.folder, { mode: 0o700 });
        const lines = setup.tokens.map(({ account, token }) => `${account.toLowerCase()} ${token}\n`);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.writeFileSync)(tokensFile, lines.join(''), { mode: 0o600 });
        (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.writeFileSync)(script, helperScript(origin, tokensFile), { mode: 0o700 });
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`configure-git could not write git's credential helper: ${reasonOf(error)}.`);
    }
    // The empty value first: helpers configured before it (a store, a cache) are not asked for this origin.
    await set(keys.helper, '');
    await git(['config', '--global', '--add', '--', keys.helper, helperValue(script)]);
    await set(keys.useHttpPath, 'true');
    const accounts = setup.tokens.map((t) => t.account);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Git commits as ${setup.user.name} <${setup.user.email}> and authenticates to ${origin.origin} with the ` +
        (accounts.length > 1
            ? `token of each account (${accounts.join(', ')}; ${accounts[0]}'s for any other)`
            : `token of ${accounts[0]}`) +
        '; the post step puts the git config back as it was.');
}
const KEY_PATTERN = /^(user\.(name|email)|credential\.https?:\/\/[^\s/]+\.(helper|useHttpPath))$/;
/** The saved state, if it is what configureGit saves (a state written by hand sets no other key). */
function parseGitState(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    const state = value;
    const isKey = (k) => {
        const entry = k;
        return (!!entry &&
            typeof entry.key === 'string' &&
            KEY_PATTERN.test(entry.key) &&
            Array.isArray(entry.prior) &&
            entry.prior.every((v) => typeof v === 'string'));
    };
    if (!state ||
        typeof state.folder !== 'string' ||
        !(0,node_path__WEBPACK_IMPORTED_MODULE_5__.isAbsolute)(state.folder) ||
        !(0,node_path__WEBPACK_IMPORTED_MODULE_5__.basename)(state.folder).startsWith(FOLDER_PREFIX) ||
        typeof state.file !== 'string' ||
        typeof state.fileExisted !== 'boolean' ||
        !Array.isArray(state.keys) ||
        !state.keys.every(isKey))
        return undefined;
    return state;
}
/** Puts one key back: its prior values in their order, or unset when it had none. */
async function restoreKey({ key, prior }) {
    if (!prior.length) {
        // Exit code 5: the key is not there (the main step stopped before it, or a later step unset it).
        await git(['config', '--global', '--unset-all', '--', key], [0, 5]);
        return;
    }
    await git(['config', '--global', '--replace-all', '--', key, prior[0]]);
    for (const value of prior.slice(1))
        await git(['config', '--global', '--add', '--', key, value]);
}
/** The post step: puts back every key configureGit changed and deletes its folder. Never throws: warnings only. */
async function restoreGit() {
    try {
        const text = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_state_js__WEBPACK_IMPORTED_MODULE_8__/* .State */ .Uw.git);
        if (!text)
            return;
        const state = parseGitState(text);
        if (!state) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e('The git config was not restored: the saved state is not what this action saves.');
            return;
        }
        const failed = [];
        const reasons = new Set();
        for (const entry of [...state.keys].reverse()) {
            try {
                await restoreKey(entry);
            }
            catch (error) {
                failed.unshift(entry.key);
                reasons.add(error instanceof GitCommandError ? error.detail : reasonOf(error));
            }
        }
        // The tokens go, whatever else failed.
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.rmSync)(state.folder, { recursive: true, force: true });
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`The folder of git's credential helper, ${state.folder}, was not deleted: ${reasonOf(error)}.`);
        }
        try {
            // A config file the main step created, now empty again, goes too: the runner's home is as it was.
            if (!state.fileExisted && (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.existsSync)(state.file) && !(0,node_fs__WEBPACK_IMPORTED_MODULE_3__.readFileSync)(state.file, 'utf8').trim())
                (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.rmSync)(state.file);
        }
        catch (error) {
            reasons.add(reasonOf(error));
        }
        if (failed.length || reasons.size) {
            const which = failed.length ? `: ${failed.join(', ')} could not be put back` : '';
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`The git config was not wholly restored${which} (${[...reasons].join('; ')}). Check ${state.file}.`);
        }
        else
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The git config is restored: ${state.keys.map((k) => k.key).join(', ')} are as before the job.`);
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`The git config was not restored: ${reasonOf(error)}.`);
    }
}


/***/ })

};
