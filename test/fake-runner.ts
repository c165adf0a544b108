import type { Runner } from '../src/runner.js';

export type RunnerCall = [method: keyof Runner, ...args: string[]];

/** A Runner that records every call in order, for unit tests of the logic behind the entries. */
export function recordingRunner(inputs: Record<string, string> = {}, state: Record<string, string> = {}) {
  const calls: RunnerCall[] = [];
  const record =
    (method: keyof Runner) =>
    (...args: string[]) => {
      calls.push([method, ...args]);
    };
  const runner: Runner = {
    getInput: (name) => (inputs[name] ?? '').trim(),
    getState: (name) => state[name] ?? '',
    setSecret: record('setSecret'),
    setOutput: record('setOutput'),
    saveState: record('saveState'),
    debug: record('debug'),
    info: record('info'),
    warning: record('warning'),
    error: record('error'),
    appendSummary: record('appendSummary'),
    setFailed: record('setFailed'),
  };
  const of = (method: keyof Runner) => calls.filter((c) => c[0] === method).map((c) => c.slice(1));
  return { runner, calls, of };
}
