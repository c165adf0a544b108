// The runner's workflow-command protocol (what @actions/core writes), kept to the few calls this action
// makes. @actions/core 3 loads an HTTP client at import for its OIDC helper, which more than
// doubles the start-up of a JWT-only run; this file speaks the same protocol without it. A unit test
// checks that GITHUB_OUTPUT and GITHUB_STATE as written here parse the same as @actions/core's.
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';

export interface Runner {
  getInput(name: string): string;
  getState(name: string): string;
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  appendSummary(markdown: string): void;
  /** Marks the step failed (exit code 1) with one `::error::` line. */
  setFailed(message: string): void;
}

type Env = Record<string, string | undefined>;
type Write = (text: string) => void;

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function command(name: string, message: string): string {
  return `::${name}::${escapeData(message)}${EOL}`;
}

function keyValueMessage(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

export function createRunner(env: Env = process.env, write: Write = (t) => process.stdout.write(t)): Runner {
  const fileCommand = (variable: string, name: string, value: string, fallback: string): void => {
    const file = env[variable];
    if (file) appendFileSync(file, keyValueMessage(name, value), 'utf8');
    else write(command(fallback, value).replace(`::${fallback}::`, `::${fallback} name=${name}::`));
  };
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    getState: (name) => env[`STATE_${name}`] ?? '',
    setSecret: (value) => {
      if (value) write(command('add-mask', value));
    },
    setOutput: (name, value) => fileCommand('GITHUB_OUTPUT', name, value, 'set-output'),
    saveState: (name, value) => fileCommand('GITHUB_STATE', name, value, 'save-state'),
    debug: (message) => write(command('debug', message)),
    info: (message) => write(message + EOL),
    warning: (message) => write(command('warning', message)),
    error: (message) => write(command('error', message)),
    appendSummary: (markdown) => {
      const file = env.GITHUB_STEP_SUMMARY;
      if (file) appendFileSync(file, markdown + EOL, 'utf8');
    },
    setFailed: (message) => {
      process.exitCode = 1;
      write(command('error', message));
    },
  };
}
