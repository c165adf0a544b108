// configure-git on the runner: the bot's identity and the token(s) in the runner's global git config, and the
// post step that puts back what was there. git itself is run (never a shell) and told only paths and names: the
// tokens live in a file (0600) in a fresh folder under RUNNER_TEMP that a small credential helper script reads,
// so no command line and no value `git config --list` prints holds a token.
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { ActionError } from '../errors.js';
import { isLoopbackHost } from '../http/url.js';
import type { GitSetup } from '../providers/provider.js';
import { State } from './state.js';

/** The helper folder's name starts so; the post step deletes no folder whose name does not. */
const FOLDER_PREFIX = 'app-jwt-git-';
/** The user name git sends with a token; GitHub reads only the password. */
const TOKEN_USER = 'x-access-token';

/** One key of the global config the main step changes, with every value it had before, in order. */
export interface SavedKey {
  key: string;
  prior: string[];
}

/** What the post step needs to undo configure-git; saved before anything is changed. */
export interface GitState {
  /** The folder holding the token file and the helper script. */
  folder: string;
  /** The global config file, and whether it existed: one the main step created is deleted once empty again. */
  file: string;
  fileExisted: boolean;
  keys: SavedKey[];
}

const reasonOf = (error: unknown) =>
  (error !== null && typeof error === 'object' && 'message' in error ? String(error.message) : String(error)).replace(
    /\.$/,
    '',
  );

/** This process's environment, handed to git as it is (HOME, GIT_CONFIG_GLOBAL, RUNNER_TEMP's neighbours). */
const processEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** A git command that failed: `detail` is what git said (or its exit code), without the command. */
class GitCommandError extends ActionError {
  readonly detail: string;
  constructor(command: string, detail: string) {
    super(`git ${command} failed: ${detail}.`);
    this.detail = detail;
  }
}

/** Runs git with these arguments; what it prints is returned, never logged. */
async function git(args: string[], allowedCodes: readonly number[] = [0]): Promise<{ code: number; stdout: string }> {
  let result;
  try {
    result = await getExecOutput('git', args, { silent: true, ignoreReturnCode: true, env: processEnv() });
  } catch (error) {
    throw new ActionError(`configure-git needs git on the runner's PATH, and it could not be run: ${reasonOf(error)}.`);
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
async function globalValues(key: string): Promise<string[]> {
  const { code, stdout } = await git(['config', '--global', '--null', '--get-all', '--', key], [0, 1]);
  if (code === 1) return [];
  return stdout.split('\0').slice(0, -1);
}

/** The file `git config --global` writes, by git's own rule. */
function globalConfigFile(env: Record<string, string | undefined>): string {
  if (env.GIT_CONFIG_GLOBAL) return env.GIT_CONFIG_GLOBAL;
  const home = join(env.HOME || homedir(), '.gitconfig');
  const xdg = join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'git', 'config');
  return !existsSync(home) && existsSync(xdg) ? xdg : home;
}

/** The origin git may send the tokens to: https, or http on a loopback address (the tests' git server). */
export function gitOrigin(serverUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new ActionError(`configure-git: the server URL ${JSON.stringify(serverUrl)} is not a URL.`);
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp)
    throw new ActionError(
      `configure-git: git sends tokens over https only, and the server URL ${url.origin} is not https.`,
    );
  return new URL(url.origin);
}

/** The config keys configure-git sets, in the order it sets them. */
export function gitKeys(origin: string): { name: string; email: string; helper: string; useHttpPath: string } {
  return {
    name: 'user.name',
    email: 'user.email',
    helper: `credential.${origin}.helper`,
    useHttpPath: `credential.${origin}.useHttpPath`,
  };
}

/** Quoted for sh: single quotes, a single quote in it closed, escaped and reopened. */
const shQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The credential helper: for `get` on this origin, the token of the account the path starts with (GitHub logins
 * are case-insensitive), else the first token; nothing for any other origin; `store` and `erase` do nothing.
 */
export function helperScript(origin: URL, tokensFile: string): string {
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
export function helperValue(script: string): string {
  const path = script.replace(/\\/g, '/');
  // git runs an absolute path as it is, through sh; a path sh would split is run as a quoted shell command.
  return /^[\w/.:@%+=,-]+$/.test(path) ? path : `!${shQuote(path)}`;
}

function checkSetup(setup: GitSetup): void {
  if (!setup.tokens.length) throw new ActionError('configure-git: there is no token to set up git with.');
  for (const { account, token } of setup.tokens) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*)$/.test(account))
      throw new ActionError(`configure-git: ${JSON.stringify(account)} is not an account name git can match.`);
    if (!/^[\x21-\x7e]+$/.test(token))
      throw new ActionError(`configure-git: the token of ${account} holds characters git cannot send.`);
  }
}

/**
 * Sets user.name and user.email to the bot and makes git answer this server's origin with the token of the
 * account a repository belongs to. What it changes, and what was there, is saved for the post step first.
 */
export async function configureGit(setup: GitSetup): Promise<void> {
  // git runs with this process's environment: the config file and RUNNER_TEMP are read from the same one.
  const env = process.env;
  for (const { token } of setup.tokens) core.setSecret(token);
  checkSetup(setup);
  const origin = gitOrigin(setup.serverUrl);
  const keys = gitKeys(origin.origin);

  const file = globalConfigFile(env);
  const saved: GitState = {
    folder: join(env.RUNNER_TEMP || tmpdir(), `${FOLDER_PREFIX}${randomUUID()}`),
    file,
    fileExisted: existsSync(file),
    keys: [],
  };
  for (const key of Object.values(keys)) saved.keys.push({ key, prior: await globalValues(key) });
  // Saved before the first change: a step that fails halfway still leaves the post step all it needs.
  core.saveState(State.git, JSON.stringify(saved));

  const set = (key: string, value: string) => git(['config', '--global', '--replace-all', '--', key, value]);
  await set(keys.name, setup.user.name);
  await set(keys.email, setup.user.email);

  const tokensFile = join(saved.folder, 'tokens');
  const script = join(saved.folder, 'credential-helper.sh');
  try {
    mkdirSync(saved.folder, { mode: 0o700 });
    const lines = setup.tokens.map(({ account, token }) => `${account.toLowerCase()} ${token}\n`);
    writeFileSync(tokensFile, lines.join(''), { mode: 0o600 });
    writeFileSync(script, helperScript(origin, tokensFile), { mode: 0o700 });
  } catch (error) {
    throw new ActionError(`configure-git could not write git's credential helper: ${reasonOf(error)}.`);
  }
  // The empty value first: helpers configured before it (a store, a cache) are not asked for this origin.
  await set(keys.helper, '');
  await git(['config', '--global', '--add', '--', keys.helper, helperValue(script)]);
  await set(keys.useHttpPath, 'true');

  const accounts = setup.tokens.map((t) => t.account);
  core.info(
    `Git commits as ${setup.user.name} <${setup.user.email}> and authenticates to ${origin.origin} with the ` +
      (accounts.length > 1
        ? `token of each account (${accounts.join(', ')}; ${accounts[0]}'s for any other)`
        : `token of ${accounts[0]}`) +
      '; the post step puts the git config back as it was.',
  );
}

const KEY_PATTERN = /^(user\.(name|email)|credential\.https?:\/\/[^\s/]+\.(helper|useHttpPath))$/;

/** The saved state, if it is what configureGit saves (a state written by hand sets no other key). */
export function parseGitState(text: string): GitState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const state = value as Partial<GitState> | null;
  const isKey = (k: unknown): k is SavedKey => {
    const entry = k as Partial<SavedKey> | null;
    return (
      !!entry &&
      typeof entry.key === 'string' &&
      KEY_PATTERN.test(entry.key) &&
      Array.isArray(entry.prior) &&
      entry.prior.every((v) => typeof v === 'string')
    );
  };
  if (
    !state ||
    typeof state.folder !== 'string' ||
    !isAbsolute(state.folder) ||
    !basename(state.folder).startsWith(FOLDER_PREFIX) ||
    typeof state.file !== 'string' ||
    typeof state.fileExisted !== 'boolean' ||
    !Array.isArray(state.keys) ||
    !state.keys.every(isKey)
  )
    return undefined;
  return state as GitState;
}

/** Puts one key back: its prior values in their order, or unset when it had none. */
async function restoreKey({ key, prior }: SavedKey): Promise<void> {
  if (!prior.length) {
    // Exit code 5: the key is not there (the main step stopped before it, or a later step unset it).
    await git(['config', '--global', '--unset-all', '--', key], [0, 5]);
    return;
  }
  await git(['config', '--global', '--replace-all', '--', key, prior[0]]);
  for (const value of prior.slice(1)) await git(['config', '--global', '--add', '--', key, value]);
}

/** The post step: puts back every key configureGit changed and deletes its folder. Never throws: warnings only. */
export async function restoreGit(): Promise<void> {
  try {
    const text = core.getState(State.git);
    if (!text) return;
    const state = parseGitState(text);
    if (!state) {
      core.warning('The git config was not restored: the saved state is not what this action saves.');
      return;
    }
    const failed: string[] = [];
    const reasons = new Set<string>();
    for (const entry of [...state.keys].reverse()) {
      try {
        await restoreKey(entry);
      } catch (error) {
        failed.unshift(entry.key);
        reasons.add(error instanceof GitCommandError ? error.detail : reasonOf(error));
      }
    }
    // The tokens go, whatever else failed.
    try {
      rmSync(state.folder, { recursive: true, force: true });
    } catch (error) {
      core.warning(`The folder of git's credential helper, ${state.folder}, was not deleted: ${reasonOf(error)}.`);
    }
    try {
      // A config file the main step created, now empty again, goes too: the runner's home is as it was.
      if (!state.fileExisted && existsSync(state.file) && !readFileSync(state.file, 'utf8').trim()) rmSync(state.file);
    } catch (error) {
      reasons.add(reasonOf(error));
    }
    if (failed.length || reasons.size) {
      const which = failed.length ? `: ${failed.join(', ')} could not be put back` : '';
      core.warning(`The git config was not wholly restored${which} (${[...reasons].join('; ')}). Check ${state.file}.`);
    } else core.info(`The git config is restored: ${state.keys.map((k) => k.key).join(', ')} are as before the job.`);
  } catch (error) {
    core.warning(`The git config was not restored: ${reasonOf(error)}.`);
  }
}
