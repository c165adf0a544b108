// Runs the committed dist/ the way the GitHub runner does: Node 24, INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STATE and GITHUB_STEP_SUMMARY files, and STATE_* variables for the post step.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFileCommands } from './runner-files.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The Node 24 binary from the `node` devDependency: the runtime action.yml names. */
export const NODE24 = join(ROOT, 'node_modules', 'node', 'bin', 'node');

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** Values sent with ::add-mask::, in order. */
  masks: string[];
  /** Messages sent with ::error::. */
  errors: string[];
  warnings: string[];
  debug: string[];
}

export interface RunOptions {
  inputs?: Record<string, string>;
  /** STATE_* values, for the post step. */
  state?: Record<string, string>;
  env?: Record<string, string>;
}

const unescape = (value: string) => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

function commands(stdout: string, name: string): string[] {
  const prefix = `::${name}::`;
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => unescape(line.slice(prefix.length)));
}

export async function runAction(entry: 'main' | 'post', options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'app-jwt-action-'));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    ...files,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;

  const child = spawn(NODE24, [join(ROOT, 'dist', entry, 'index.js')], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const read = (file: string) => readFileSync(file, 'utf8');
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    summary: read(files.GITHUB_STEP_SUMMARY),
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    state: parseFileCommands(read(files.GITHUB_STATE)),
    masks: commands(stdout, 'add-mask'),
    errors: commands(stdout, 'error'),
    warnings: commands(stdout, 'warning'),
    debug: commands(stdout, 'debug'),
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

/** The post step's state for tokens saved by hand (as a tampered or foreign state would be). */
export function revokeState(
  records: { provider: string; token: string; apiUrl: string; expiresAt: string; extra?: Record<string, string> }[],
): Record<string, string> {
  return { revoke: JSON.stringify(records) };
}

/** The records the main step saved for its post step. */
export function savedRecords(run: ActionRun): { provider: string; token: string; apiUrl: string; expiresAt: string }[] {
  return run.state.revoke ? JSON.parse(run.state.revoke) : [];
}

/**
 * Every secret is masked, and appears on stdout only in its ::add-mask:: line, never before it; never on
 * stderr or in the job summary. Lines of a multi-line secret (a PEM) are checked one by one.
 */
export function leaksOf(run: ActionRun, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  const pieces = secrets
    .flatMap((secret) => [secret, ...secret.split(/\r?\n/)])
    .filter((s) => s.trim().length >= 8 && !s.startsWith('-----'));
  for (const piece of new Set(pieces.map((p) => p.trim()))) {
    const label = `${piece.slice(0, 4)}…(${piece.length} chars)`;
    const outside = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .some((line) => line.includes(piece));
    if (outside) problems.push(`stdout shows ${label} outside an ::add-mask:: line`);
    if (run.stderr.includes(piece)) problems.push(`stderr shows ${label}`);
    if (run.summary.includes(piece)) problems.push(`the job summary shows ${label}`);
  }
  return problems;
}

/** The secret was masked before it was written anywhere the runner reads (the outputs file comes later). */
export function isMasked(run: ActionRun, secret: string): boolean {
  return run.masks.includes(secret);
}

/**
 * What a user sees of a run, as a recorded snapshot compares it: stdout, outputs, state and the requests the
 * emulators saw, with every masked value replaced by a placeholder (named when the test names it), times,
 * emulator addresses and random backoff delays made stable. A snapshot diff then shows exactly what changed.
 */
export function transcript(
  run: ActionRun,
  options: { names?: Record<string, string | undefined>; urls?: Record<string, string>; requests?: string[] } = {},
): string {
  const replacements: [string, string][] = [];
  for (const [name, value] of Object.entries(options.names ?? {})) if (value) replacements.push([value, `<${name}>`]);
  for (const mask of run.masks) if (mask.length >= 8) replacements.push([mask, '<masked>']);
  for (const [name, url] of Object.entries(options.urls ?? {})) replacements.push([url, `<${name}>`]);
  replacements.sort((a, b) => b[0].length - a[0].length);
  const stable = (text: string) => {
    let out = text;
    for (const [value, placeholder] of replacements) out = out.split(value).join(placeholder);
    return out
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
      .replace(/(retry \d+ in )\d+\.\d s/g, '$1<delay> s')
      .replace(/\b\d+ s (ago|ahead of|behind)\b/g, '<n> s $1')
      .replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>');
  };
  // A block of masks is shown sorted: masks made as parallel answers arrive come in either order, and what a
  // reader checks is that they come before the lines after them. Runs of one line (the PEM's lines masked one by
  // one) are shown once with their count.
  const raw = stable(run.stdout)
    .split('\n')
    .filter((l) => l.trim());
  const ordered: string[] = [];
  for (let i = 0; i < raw.length;) {
    let end = i;
    while (end < raw.length && raw[end].startsWith('::add-mask::')) end++;
    if (end > i) ordered.push(...raw.slice(i, end).sort());
    else ordered.push(raw[end++]);
    i = end;
  }
  const lines: string[] = [];
  for (const line of ordered) {
    const last = lines.at(-1);
    const repeated = last && /^(.*) ×(\d+)$/.exec(last);
    if (repeated && repeated[1] === line) lines[lines.length - 1] = `${line} ×${Number(repeated[2]) + 1}`;
    else if (last === line) lines[lines.length - 1] = `${line} ×2`;
    else lines.push(line);
  }
  const record = (values: Record<string, string>) =>
    Object.entries(values)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `  ${name}=${stable(value)}`);
  return [
    `exit code: ${run.exitCode}`,
    'stdout:',
    ...lines.map((line) => `  ${line}`),
    'outputs:',
    ...record(run.outputs),
    'state:',
    ...record(run.state),
    ...(options.requests ? ['requests:', ...options.requests.map((r) => `  ${stable(r)}`)] : []),
    '',
  ].join('\n');
}
