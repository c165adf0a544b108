import { jest } from '@jest/globals';
import * as core from '@actions/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../../src/runner.js';
import { parseFileCommands } from '../../test/runner-files.ts';

const VALUES = { plain: 'abc', multiline: 'line 1\nline 2\nline 3', crlf: 'a\r\nb', percent: '100% done', empty: '' };

function tempFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'runner-')), 'file');
  writeFileSync(file, '');
  return file;
}

function captureStdout(act: () => void): string {
  let text = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return text;
}

afterEach(() => {
  delete process.env.GITHUB_OUTPUT;
  delete process.env.GITHUB_STATE;
});

test('outputs parse the same as those @actions/core writes', () => {
  const ours = tempFile();
  const theirs = tempFile();
  const runner = createRunner({ GITHUB_OUTPUT: ours });
  process.env.GITHUB_OUTPUT = theirs;
  for (const [name, value] of Object.entries(VALUES)) {
    runner.setOutput(name, value);
    core.setOutput(name, value);
  }
  expect(parseFileCommands(readFileSync(ours, 'utf8'))).toEqual(parseFileCommands(readFileSync(theirs, 'utf8')));
  expect(parseFileCommands(readFileSync(ours, 'utf8')).multiline).toBe(VALUES.multiline);
});

test('saved state parses the same as @actions/core saveState', () => {
  const ours = tempFile();
  const theirs = tempFile();
  const runner = createRunner({ GITHUB_STATE: ours });
  process.env.GITHUB_STATE = theirs;
  for (const [name, value] of Object.entries(VALUES)) {
    runner.saveState(name, value);
    core.saveState(name, value);
  }
  expect(parseFileCommands(readFileSync(ours, 'utf8'))).toEqual(parseFileCommands(readFileSync(theirs, 'utf8')));
});

test('workflow commands are written byte for byte as @actions/core writes them', () => {
  const runner = createRunner({});
  for (const value of ['s3cr3t', 'a%b\r\nc', 'multi\nline']) {
    expect(captureStdout(() => runner.setSecret(value))).toBe(captureStdout(() => core.setSecret(value)));
    expect(captureStdout(() => runner.debug(value))).toBe(captureStdout(() => core.debug(value)));
    expect(captureStdout(() => runner.warning(value))).toBe(captureStdout(() => core.warning(value)));
    expect(captureStdout(() => runner.error(value))).toBe(captureStdout(() => core.error(value)));
  }
});

test('inputs are read from INPUT_ variables with the name upper-cased and trimmed, as the runner sets them', () => {
  const runner = createRunner({ 'INPUT_APP-ID': '  42 \n', 'INPUT_PRIVATE-KEY': 'k' });
  expect(runner.getInput('app-id')).toBe('42');
  expect(runner.getInput('private-key')).toBe('k');
  expect(runner.getInput('missing')).toBe('');
});

test('post-step state is read from STATE_ variables', () => {
  expect(createRunner({ STATE_token: 'x' }).getState('token')).toBe('x');
});

test('an empty secret is not sent to the runner', () => {
  expect(captureStdout(() => createRunner({}).setSecret(''))).toBe('');
});
