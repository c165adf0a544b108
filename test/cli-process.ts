// Runs the built CLI (dist/cli/index.js) under Node 24 as a user would, with or without a terminal.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT } from './action-process.ts';

export const CLI = join(ROOT, 'dist', 'cli', 'index.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** No terminal: stdin is a pipe holding `input` (or empty). */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliRun> {
  const child = spawn(NODE24, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/**
 * With a real terminal, made by util-linux `script`: the CLI's stdin and stderr are the terminal, its stdout
 * goes to a file. Each answer is typed once its prompt has appeared on the terminal.
 */
export async function runCliInTerminal(
  args: string[],
  answers: { prompt: string; answer: string }[],
  env: Record<string, string> = {},
): Promise<CliRun & { terminal: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'app-jwt-cli-'));
  const out = join(dir, 'stdout');
  writeFileSync(out, '');
  const quoted = [NODE24, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', `${quoted} > '${out}'`, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let terminal = '';
  const pending = [...answers];
  child.stdout.on('data', (chunk) => {
    terminal += chunk;
    if (pending.length && terminal.includes(pending[0].prompt)) {
      const { answer } = pending.shift()!;
      setTimeout(() => child.stdin.write(`${answer}\r`), 50);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const stdout = readFileSync(out, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { code, stdout, stderr: terminal, terminal };
}
