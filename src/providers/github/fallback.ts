// A run with no key at all: a pull request from a fork or a Dependabot run gets no secrets, so the app's key is
// empty. With fallback-token the step passes that token on (usually github.token) and says why; without it, the
// error says why the key is empty.
import { readFileSync } from 'node:fs';
import type { Env } from '../../settings/inputs.js';

interface PullRequestEvent {
  pull_request?: {
    head?: { repo?: { full_name?: unknown; fork?: unknown } };
    base?: { repo?: { full_name?: unknown } };
  };
}

/** The event payload; nothing when it cannot be read or is not a JSON object (a `null` included). */
function eventPayload(env: Env): PullRequestEvent {
  try {
    const payload: unknown = env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {};
    return payload && typeof payload === 'object' ? (payload as PullRequestEvent) : {};
  } catch {
    return {};
  }
}

/** Why the workflow got no secret, as far as the run shows it; undefined when nothing explains it. */
export function whyNoSecret(env: Env): string | undefined {
  if (env.GITHUB_ACTOR === 'dependabot[bot]')
    return 'this is a Dependabot run, and Dependabot runs get only the secrets stored under Settings > Secrets and variables > Dependabot';
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event === 'pull_request' || event === 'pull_request_review' || event === 'pull_request_review_comment') {
    const pr = eventPayload(env).pull_request;
    const head = pr?.head?.repo?.full_name;
    const base = pr?.base?.repo?.full_name;
    if (pr?.head?.repo?.fork === true || (typeof head === 'string' && typeof base === 'string' && head !== base))
      // The fork's name is the contributor's; it is not quoted into the log.
      return 'this is a pull request from a fork, and workflows run for forks get no secrets';
  }
  return undefined;
}
