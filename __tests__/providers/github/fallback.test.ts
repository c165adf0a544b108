// Why a run has no key: a Dependabot run, a pull request from a fork, or nothing the run shows. Read from
// GITHUB_ACTOR, GITHUB_EVENT_NAME and the event payload the runner writes at GITHUB_EVENT_PATH.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClock } from '../../../src/clock.js';
import { InputError } from '../../../src/errors.js';
import { whyNoSecret } from '../../../src/providers/github/fallback.js';
import { readGitHubSettings } from '../../../src/providers/github/settings.js';
import { createInputReader, type Env } from '../../../src/settings/inputs.js';

const FORK = 'this is a pull request from a fork, and workflows run for forks get no secrets';
const DEPENDABOT =
  'this is a Dependabot run, and Dependabot runs get only the secrets stored under Settings > Secrets and variables > Dependabot';

const dir = mkdtempSync(join(tmpdir(), 'app-jwt-fallback-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** The event payload as the runner writes it, and its path. */
function eventFile(payload: unknown): string {
  const path = join(dir, `event-${files++}.json`);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

const pullRequest = (head: Record<string, unknown>, base = 'octo-org/app') => ({
  action: 'opened',
  pull_request: { number: 7, head: { ref: 'patch-1', repo: head }, base: { ref: 'main', repo: { full_name: base } } },
});

const run = (event: string, payload: unknown, extra: Env = {}): Env => ({
  GITHUB_EVENT_NAME: event,
  GITHUB_EVENT_PATH: eventFile(payload),
  GITHUB_ACTOR: 'contributor',
  ...extra,
});

describe('a pull request from a fork', () => {
  test.each(['pull_request', 'pull_request_review', 'pull_request_review_comment'])(
    'on %s, a head repository marked as a fork is named',
    (event) => {
      expect(whyNoSecret(run(event, pullRequest({ full_name: 'contributor/app', fork: true })))).toBe(FORK);
    },
  );

  test('a head repository other than the base one is a fork, even without the fork flag', () => {
    expect(whyNoSecret(run('pull_request', pullRequest({ full_name: 'contributor/app' })))).toBe(FORK);
  });

  test("the fork's name is not quoted: it is the contributor's text", () => {
    const payload = pullRequest({ full_name: 'evil/::stop-commands::x', fork: true });
    expect(whyNoSecret(run('pull_request', payload))).toBe(FORK);
  });

  test('a pull request from a branch of the same repository is no reason', () => {
    expect(whyNoSecret(run('pull_request', pullRequest({ full_name: 'octo-org/app', fork: false })))).toBeUndefined();
  });

  test('pull_request_target runs with the base repository secrets: no reason either', () => {
    const payload = pullRequest({ full_name: 'contributor/app', fork: true });
    expect(whyNoSecret(run('pull_request_target', payload))).toBeUndefined();
  });

  test('a head repository that was deleted (repo: null) tells nothing', () => {
    expect(
      whyNoSecret(
        run('pull_request', { pull_request: { head: { repo: null }, base: { repo: { full_name: 'o/r' } } } }),
      ),
    ).toBeUndefined();
  });
});

describe('a Dependabot run', () => {
  test('is told by its actor, whatever the event', () => {
    for (const event of ['pull_request', 'push', 'workflow_dispatch'])
      expect(whyNoSecret(run(event, {}, { GITHUB_ACTOR: 'dependabot[bot]' }))).toBe(DEPENDABOT);
  });

  test('comes before the fork check: a Dependabot pull request is not called a fork', () => {
    const payload = pullRequest({ full_name: 'contributor/app', fork: true });
    expect(whyNoSecret(run('pull_request', payload, { GITHUB_ACTOR: 'dependabot[bot]' }))).toBe(DEPENDABOT);
  });

  test('another bot is no Dependabot', () => {
    expect(whyNoSecret(run('push', {}, { GITHUB_ACTOR: 'renovate[bot]' }))).toBeUndefined();
  });
});

describe('nothing to explain it', () => {
  test('outside a workflow run', () => {
    expect(whyNoSecret({})).toBeUndefined();
  });

  test('a push', () => {
    expect(whyNoSecret(run('push', { ref: 'refs/heads/main' }))).toBeUndefined();
  });

  test('an event file that is missing, not JSON, or not an object tells nothing, and does not throw', () => {
    const missing = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'no-such-file.json') };
    expect(whyNoSecret(missing)).toBeUndefined();
    expect(whyNoSecret(run('pull_request', '{"pull_request": '))).toBeUndefined();
    expect(whyNoSecret(run('pull_request', 'null'))).toBeUndefined();
    expect(whyNoSecret(run('pull_request', '[1, 2]'))).toBeUndefined();
    expect(whyNoSecret({ GITHUB_EVENT_NAME: 'pull_request' })).toBeUndefined();
  });

  test('a pull request payload whose names are not strings tells nothing', () => {
    const payload = { pull_request: { head: { repo: { full_name: 1 } }, base: { repo: { full_name: 2 } } } };
    expect(whyNoSecret(run('pull_request', payload))).toBeUndefined();
  });
});

describe('what the step does with the reason', () => {
  const settings = (inputs: Record<string, string>, env: Env) =>
    readGitHubSettings(
      createInputReader((name) => inputs[name] ?? ''),
      { env, clock: createClock() },
    );
  const fork = () => run('pull_request', pullRequest({ full_name: 'contributor/app', fork: true }));

  test('without fallback-token, the error on private-key names the fork and both ways out', async () => {
    const error = await settings({ 'app-id': '123' }, fork()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `Input 'private-key': is empty: ${FORK}. To let the job go on without the app in such runs, set fallback-token: \${{ github.token }}; or skip the step there (if: github.event.pull_request.head.repo.fork != true).`,
    );
  });

  test('with fallback-token, the fallback carries the reason for the notice', async () => {
    expect(await settings({ 'app-id': '123', 'fallback-token': 'ghs_fallback0000' }, fork())).toEqual({
      provider: 'github',
      fallback: { token: 'ghs_fallback0000', why: FORK },
    });
  });
});
