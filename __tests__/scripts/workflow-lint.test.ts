import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, lintRepository, type Problem } from '../../scripts/lint-workflows.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'lint-workflows.ts');

const GOOD_ACTION = `name: Test action
description: An action for the linter's tests.
inputs:
  app-id:
    description: The app.
    required: true
  exchange:
    description: Also get a token.
    default: 'false'
outputs:
  token:
    description: The token.
runs:
  using: node24
  main: dist/main/index.js
  post: dist/post/index.js
`;

const GOOD_WORKFLOW = `name: Good
on: push
permissions:
  contents: read
jobs:
  use:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
      - id: app
        uses: ./
        with:
          app-id: \${{ vars.APP_ID }}
      - env:
          TOKEN: \${{ steps.app.outputs.token }}
        run: test -n "$TOKEN"
`;

// Each line marked with a comment is one mistake the linter must name.
const BROKEN_WORKFLOW = `name: Broken
on: push
jobs:
  use:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5 # not pinned to a SHA
      - id: app
        uses: ./
        with:
          app-id: \${{ vars.APP_ID }}
          app_id_typo: 1 # not an input of action.yml
      - if: \${{ secrets.APP_PRIVATE_KEY != '' }} # secrets are not available in if:
        run: echo "\${{ github.event.head_commit.message }}" # untrusted input in a script
      - run: echo "\${{ steps.app.outputs.tokn }}" # not an output of action.yml
      - run: echo \${{ matrix.os }} # no matrix
`;

function makeRepository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-lint-'));
  for (const [path, text] of Object.entries({ 'dist/main/index.js': '', 'dist/post/index.js': '', ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const made: string[] = [];
function repository(files: Record<string, string>): string {
  const dir = makeRepository(files);
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const where = (problems: Problem[]) => problems.map((p) => `${p.file}:${p.line} [${p.kind}] ${p.message}`);

test("this repository's workflows and action.yml pass", async () => {
  const { problems, files } = await lintRepository(ROOT);
  expect(problems.map(formatProblem)).toEqual([]);
  expect(files).toEqual(
    expect.arrayContaining([
      'action.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/release.yml',
      '.github/workflows/use-action.yml',
    ]),
  );
});

test('a correct workflow in a temp dir passes, so the failures below are the mistakes', async () => {
  const dir = repository({ 'action.yml': GOOD_ACTION, '.github/workflows/good.yml': GOOD_WORKFLOW });
  expect(where((await lintRepository(dir)).problems)).toEqual([]);
});

test('a broken workflow fails, on each mistake, from actionlint and from the checks against action.yml', async () => {
  const dir = repository({ 'action.yml': GOOD_ACTION, '.github/workflows/broken.yml': BROKEN_WORKFLOW });
  const problems = where((await lintRepository(dir)).problems);
  const file = '.github/workflows/broken.yml';
  expect(problems).toEqual([
    `${file}:1 [policy] set \`permissions:\` (e.g. contents: read) for the workflow or every job: the default GITHUB_TOKEN may write`,
    expect.stringMatching(new RegExp(`^${file}:7 \\[policy\\] pin actions/checkout@v5 to a full commit SHA`)),
    expect.stringMatching(
      new RegExp(`^${file}:12 \\[local-action\\] input "app_id_typo" is not defined in action.yml`),
    ),
    expect.stringMatching(new RegExp(`^${file}:13 \\[expression\\] context "secrets" is not allowed here`)),
    expect.stringMatching(
      new RegExp(`^${file}:14 \\[expression\\] "github.event.head_commit.message" is potentially untrusted`),
    ),
    expect.stringMatching(new RegExp(`^${file}:15 \\[local-action\\] steps.app \\(uses: ./\\) has no output "tokn"`)),
    expect.stringMatching(new RegExp(`^${file}:16 \\[expression\\] property "os" is not defined`)),
  ]);
});

test('a workflow that is not valid YAML fails', async () => {
  const dir = repository({
    'action.yml': GOOD_ACTION,
    '.github/workflows/bad-yaml.yml': 'on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n',
  });
  expect(where((await lintRepository(dir)).problems)).toEqual([
    expect.stringMatching(/^\.github\/workflows\/bad-yaml\.yml:\d+ \[syntax-check\] could not parse as YAML/),
  ]);
});

test('a broken action.yml fails on each mistake', async () => {
  const action = `name: Test action
description: ''
inputs:
  app-id:
    required: 'no'
  APP-ID:
    description: Same variable as app-id.
    default: false
outputs:
  token:
    description: The token.
    value: \${{ steps.x.outputs.token }}
runs:
  using: node20
  main: dist/main/index.js
  post: dist/cleanup.js
branding:
  color: pink
`;
  const { problems } = await lintRepository(repository({ 'action.yml': action }));
  expect(where(problems)).toEqual([
    'action.yml:2 [action-metadata] "description" must be a non-empty string',
    'action.yml:4 [action-metadata] input "app-id" needs a description',
    'action.yml:5 [action-metadata] input "app-id": required must be true or false',
    'action.yml:6 [action-metadata] input "APP-ID" and input "app-id" both become INPUT_APP-ID',
    'action.yml:8 [action-metadata] input "APP-ID": write the default as a string (e.g. \'false\'): inputs are strings',
    'action.yml:12 [action-metadata] output "token" has an unknown key "value"; allowed: description',
    'action.yml:14 [action-metadata] runs.using must be node24, the runtime dist/ is built and tested for',
    'action.yml:16 [action-metadata] runs.post names dist/cleanup.js, which does not exist: run `npm run build` and commit dist/',
    'action.yml:18 [action-metadata] branding.color must be one of white, black, yellow, blue, green, orange, red, purple, gray-dark',
  ]);
});

test('npm run lint:workflows exits 1 on a broken repository, naming each problem', () => {
  const broken = repository({ 'action.yml': GOOD_ACTION, '.github/workflows/broken.yml': BROKEN_WORKFLOW });
  const failed = spawnSync(process.execPath, [SCRIPT, broken], { encoding: 'utf8' });
  expect(failed.status).toBe(1);
  expect(failed.stderr).toContain('.github/workflows/broken.yml:13:17: context "secrets" is not allowed here');
  expect(failed.stderr).toMatch(/^7 problem\(s\) in /m);
});
