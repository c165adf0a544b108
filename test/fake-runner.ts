// The runner's side of an in-process run of the action (src/main.ts, src/post.ts, src/action/*): @actions/core
// reads INPUT_* and STATE_* variables and writes the GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files
// and workflow commands on stdout, as on a real runner. Nothing of the action is replaced: stdout is recorded
// (and kept out of the test log) by a spy, the files are real files, read back the way the runner reads them.
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands } from './runner-files.ts';

/** One write to stdout, with how far the outputs and state files had been written at that moment. */
export interface StdoutWrite {
  text: string;
  outputBytes: number;
  stateBytes: number;
}

export interface RunnerRecord {
  stdout: string;
  /** Every write to stdout, in order. */
  writes: StdoutWrite[];
  /** The GITHUB_OUTPUT file as written, and as the runner reads it. */
  outputFile: string;
  outputs: Record<string, string>;
  stateFile: string;
  state: Record<string, string>;
  summary: string;
  /** Values sent with ::add-mask::, unescaped as the runner reads them, in order. */
  masks: string[];
  /** The messages of one workflow command (error, warning, debug), unescaped. */
  commands(name: string): string[];
  /** Lines written by core.info: not workflow commands. */
  info: string[];
  /** process.exitCode as the step left it (1 after core.setFailed); restored once recorded. */
  exitCode: number | string | null | undefined;
}

export interface RunOptions {
  inputs?: Record<string, string>;
  /** What the runner hands the post step as STATE_<name>. */
  state?: Record<string, string>;
  /** A write to stdout that fails (a pipe answering EAGAIN): the error it throws, recorded all the same. */
  stdoutError?: (text: string) => Error | undefined;
}

const unescape = (value: string) => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

/** Workflow commands `::name::message` (no properties), as the runner splits stdout into lines. */
export function commandsIn(stdout: string, name: string): string[] {
  const prefix = `::${name}::`;
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => unescape(line.slice(prefix.length)));
}

/**
 * A runner for one test file. Its files live in one folder for the whole file, emptied before each run:
 * core.summary keeps the summary file's path once it has written to it. Call remove() in afterAll.
 */
export function fakeRunner() {
  const dir = mkdtempSync(join(tmpdir(), 'app-jwt-runner-'));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };

  /** Runs `step` with the inputs and state as the runner sets them; restores process.env and exitCode after. */
  async function run(step: () => Promise<void>, options: RunOptions = {}): Promise<RunnerRecord> {
    const savedEnv = { ...process.env };
    const savedExitCode = process.exitCode;
    for (const name of Object.keys(process.env)) if (/^(INPUT|STATE)_/.test(name)) delete process.env[name];
    Object.assign(process.env, files);
    for (const [name, value] of Object.entries(options.inputs ?? {}))
      process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    for (const [name, value] of Object.entries(options.state ?? {})) process.env[`STATE_${name}`] = value;
    for (const file of Object.values(files)) writeFileSync(file, '');
    process.exitCode = undefined;

    const writes: StdoutWrite[] = [];
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      writes.push({ text, outputBytes: size(files.GITHUB_OUTPUT), stateBytes: size(files.GITHUB_STATE) });
      const error = options.stdoutError?.(text);
      if (error) throw error;
      return true;
    }) as typeof process.stdout.write);
    let exitCode: RunnerRecord['exitCode'];
    try {
      await step();
    } finally {
      spy.mockRestore();
      exitCode = process.exitCode;
      process.exitCode = savedExitCode;
      for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
      Object.assign(process.env, savedEnv);
    }
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    };
    const stdout = writes.map((w) => w.text).join('');
    const outputFile = read(files.GITHUB_OUTPUT);
    const stateFile = read(files.GITHUB_STATE);
    return {
      stdout,
      writes,
      outputFile,
      outputs: parseFileCommands(outputFile),
      stateFile,
      state: parseFileCommands(stateFile),
      summary: read(files.GITHUB_STEP_SUMMARY),
      masks: commandsIn(stdout, 'add-mask'),
      commands: (name) => commandsIn(stdout, name),
      info: stdout.split('\n').filter((line) => line && !line.startsWith('::')),
      exitCode,
    };
  }

  return {
    files,
    run,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
