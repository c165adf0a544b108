import { isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { InputError } from '../../errors.js';
import { APP_PERMISSIONS } from './permission-list.js';

/**
 * The `permissions` input: which of a GitHub App's permissions the installation token gets.
 *
 * Accepted: a YAML mapping, one `name: level` per line (comments allowed), or a JSON object. Names are GitHub's
 * app permission names (permission-list.ts), in snake_case as the REST API spells them
 * (`pull_requests`) or kebab-case as a workflow's `permissions:` block does (`pull-requests`); both become snake_case.
 * Names and levels are lowercase, as GitHub spells them: `Write` or `Contents` is refused with the exact fix
 * (`write`, `contents`) rather than quietly lowercased, so what the log shows is what GitHub is sent.
 * Text that is empty or only comments means "all of the installation's permissions" and gives `undefined`; an
 * explicit empty mapping (`{}`) is refused as ambiguous (no permissions at all is not something a token can have).
 */

export type PermissionLevel = 'read' | 'write' | 'admin';
export type Permissions = Record<string, PermissionLevel>;

/** A permitted level covers the ones before it: write includes read, admin includes write. */
const LEVEL_RANK: Readonly<Record<string, number>> = { read: 1, write: 2, admin: 3 };

const EXPECTED = 'Write one `name: level` per line, e.g. `contents: write`, or a JSON object: {"contents": "write"}.';
const ALL_PERMISSIONS_HINT = "Leave the input empty to get all of the installation's permissions.";

/** Why a `permissions` input cannot be used; `problems` holds one sentence or two per bad entry. */
export class PermissionsError extends InputError {
  readonly problems: readonly string[];
  /** `note` follows the problems once, e.g. the list of valid names that several of them need. */
  constructor(problems: string[], note?: string) {
    const body =
      problems.length === 1
        ? problems[0]
        : `has ${problems.length} problems: ${problems.map((p, i) => `(${i + 1}) ${p}`).join(' ')}`;
    super('permissions', note ? `${body} ${note}` : body);
    this.problems = problems;
  }
}

/** GitHub UI names and other names people reach for that the API spells differently. */
const OTHER_NAMES: Readonly<Record<string, readonly string[]>> = {
  code_scanning: ['security_events'],
  code_scanning_alerts: ['security_events'],
  dependabot_alerts: ['vulnerability_alerts'],
  commit_statuses: ['statuses'],
  webhooks: ['repository_hooks', 'organization_hooks'],
  pr: ['pull_requests'],
  prs: ['pull_requests'],
};

function isPermission(name: string): boolean {
  return Object.hasOwn(APP_PERMISSIONS, name);
}

/** A node's text as the input wrote it, for messages. */
function written(text: string, node: unknown): string {
  if (isNode(node) && node.range) return text.slice(node.range[0], node.range[1]).trim();
  return node === null || node === undefined ? '' : String(node);
}

function quote(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return `'${oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine}'`;
}

/** "read", "read or write", "read, write or admin". */
function either(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  return rows[a.length][b.length];
}

/** The valid names a mistyped one most likely meant, best first; empty when nothing is close. */
function closestNames(typed: string): string[] {
  const wanted = typed.toLowerCase().replace(/-/g, '_');
  const expanded = wanted.replace(/^org_/, 'organization_').replace(/^repo_/, 'repository_');
  if (Object.hasOwn(OTHER_NAMES, wanted)) return [...OTHER_NAMES[wanted]];
  const names = Object.keys(APP_PERMISSIONS);
  const scored = names.map((name) => ({
    name,
    distance: Math.min(editDistance(wanted, name), editDistance(expanded, name)),
  }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (best <= Math.max(1, Math.floor(wanted.length / 3)))
    return scored.filter((s) => s.distance === best).map((s) => s.name);
  if (wanted.length < 3) return [];
  return names.filter((name) => name.includes(wanted) || name.includes(expanded)).slice(0, 5);
}

/** Why a name is not a permission; `listNames` when no likely name was found and the full list would help. */
function unknownName(typed: string): { problem: string; listNames?: boolean } {
  const style = (name: string) => (typed.includes('-') ? name.replace(/_/g, '-') : name);
  const lower = typed.toLowerCase();
  if (lower === 'permissions')
    return {
      problem: `${quote(typed)} is the name of the workflow key, not a permission: give only the lines under it, unindented, e.g. \`contents: write\`.`,
    };
  if (lower === 'id-token' || lower === 'id_token')
    return {
      problem: `${quote(typed)} is a permission of the workflow's GITHUB_TOKEN (for OIDC), not of GitHub Apps: set it in the job's \`permissions:\` block and remove it here.`,
    };
  if (lower !== typed && isPermission(lower.replace(/-/g, '_')))
    return { problem: `${quote(typed)}: permission names are lowercase; write \`${lower}\`.` };
  const close = closestNames(typed).map((name) => `\`${style(name)}\``);
  if (close.length)
    return { problem: `${quote(typed)} is not a GitHub App permission. Did you mean ${either(close)}?` };
  return { problem: `${quote(typed)} is not a GitHub App permission.`, listNames: true };
}

function listPermissions(kebab: boolean): string {
  const names = Object.keys(APP_PERMISSIONS).map((name) => (kebab ? name.replace(/_/g, '-') : name));
  return `The permissions a GitHub App can request are: ${names.join(', ')}.`;
}

function badLevel(typed: string, name: string, level: string): string | undefined {
  const allowed = APP_PERMISSIONS[name];
  if ((allowed as readonly string[]).includes(level)) return undefined;
  const lower = level.toLowerCase();
  if ((allowed as readonly string[]).includes(lower))
    return `${quote(`${typed}: ${level}`)}: levels are lowercase, as GitHub spells them; write \`${typed}: ${lower}\`.`;
  const can = allowed.length === 1 ? `can only be ${allowed[0]}` : `can be ${either(allowed)}`;
  const problem = `${quote(`${typed}: ${level}`)}: ${quote(level)} is not a level ${typed} can have; it ${can}.`;
  if (lower === 'none')
    return `${problem} To leave ${typed} out of the token, delete its line: the token gets only the permissions listed.`;
  return problem;
}

function describeSyntaxError(text: string, message: string): string {
  const crowded = /^\s*[\w-]+\s*:\s*[^\s,#{}]+[\s,]+[\w-]+\s*:.*$/m.exec(text);
  if (crowded)
    return `puts several permissions on one line (${quote(crowded[0].trim())}): put each on its own line, e.g. \`contents: write\` (in a workflow, write the input as a \`|\` block, not \`>\`), or use braces: {contents: write, issues: read}.`;
  const where = message.split('\n')[0].replace(/:$/, '');
  return `is not valid YAML or JSON (${where}). ${EXPECTED}`;
}

function notAMapping(root: unknown): string {
  if (isSeq(root))
    return root.items.every((item) => isMap(item))
      ? `is a list (its lines start with "- "), not a mapping: remove the dashes. ${EXPECTED}`
      : `is a list, not a mapping of each permission to its level. ${EXPECTED}`;
  if (isScalar(root) && typeof root.value === 'string') {
    const value = root.value.trim();
    if (value === 'read-all' || value === 'write-all')
      return `${quote(value)} is a workflow shorthand for GITHUB_TOKEN; here, list each permission the app token needs. ${EXPECTED} ${ALL_PERMISSIONS_HINT}`;
    const pair = /^([\w-]+)\s*(?::|=|\s)\s*([\w-]+)$/.exec(value);
    if (pair)
      return `${quote(value)} is not a mapping: write \`${pair[1]}: ${pair[2]}\`, the name, a colon and a space, then the level.`;
  }
  return `${quote(String(root))} is a single value, not a mapping of each permission to its level. ${EXPECTED}`;
}

/** The level an entry gives, or what is wrong with it. `typed` is the name as written, `name` its snake_case. */
function checkLevel(
  doc: Document,
  text: string,
  typed: string,
  name: string,
  node: unknown,
): { level: PermissionLevel } | { problem: string } {
  const allowed = APP_PERMISSIONS[name];
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  const value = isScalar(resolved) ? resolved.value : resolved;
  if (value === null || value === undefined || value === '')
    return { problem: `${quote(typed)} has no level; write ${either(allowed.map((l) => `\`${typed}: ${l}\``))}.` };
  if (isNode(resolved) && !isScalar(resolved)) {
    const source = written(text, resolved);
    const what = isSeq(resolved) ? `a list (${quote(source)})` : isMap(resolved) ? 'a nested mapping' : quote(source);
    return {
      problem: `${quote(typed)} has ${what} instead of a level; give the one level it needs, e.g. \`${typed}: ${allowed[allowed.length - 1]}\`.`,
    };
  }
  const level = String(value);
  const problem = badLevel(typed, name, level);
  return problem ? { problem } : { level: level as PermissionLevel };
}

function duplicate(name: string, first: { typed: string; level: string }, again: { typed: string; level: string }) {
  const allowed: readonly string[] = APP_PERMISSIONS[name];
  const level = [again.level, first.level].find((l) => allowed.includes(l)) ?? allowed[0];
  const both = `${quote(`${first.typed}: ${first.level}`)} and ${quote(`${again.typed}: ${again.level}`)}`;
  const same =
    first.typed === again.typed ? `${quote(first.typed)} is given twice` : `${both} name the same permission`;
  const detail = first.typed === again.typed ? ` (${both})` : '';
  return `${same}${detail}; keep one line, e.g. \`${first.typed}: ${level}\`.`;
}

/**
 * Reads the `permissions` input into snake_case names and levels, checked against GitHub's list of app
 * permissions. Returns undefined for text that is empty or only comments (all of the installation's
 * permissions); throws a PermissionsError naming every bad entry and its fix.
 */
export function parsePermissions(text: string): Permissions | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw new PermissionsError([describeSyntaxError(text, doc.errors[0].message)]);
  const root = doc.contents;
  if (root === null) return undefined;
  if (!isMap(root)) throw new PermissionsError([notAMapping(root)]);
  if (!root.items.length)
    throw new PermissionsError([
      `is an empty mapping: list the permissions the token needs. ${EXPECTED} ${ALL_PERMISSIONS_HINT}`,
    ]);

  const permissions: Permissions = {};
  const problems: string[] = [];
  /** Each permission given so far: its name and level as written. */
  const seen = new Map<string, { typed: string; level: string }>();
  let listNamesIn: 'snake' | 'kebab' | undefined;
  for (const { key, value } of root.items) {
    const typed = isScalar(key) ? String(key.value ?? '') : key === null ? '' : String(key);
    const name = typed.replace(/-/g, '_');
    if (!typed) {
      problems.push(`an entry has no permission name. ${EXPECTED}`);
    } else if (!isPermission(name)) {
      const unknown = unknownName(typed);
      problems.push(unknown.problem);
      if (unknown.listNames) listNamesIn ??= typed.includes('-') ? 'kebab' : 'snake';
    } else if (seen.has(name)) {
      problems.push(duplicate(name, seen.get(name) ?? { typed, level: '' }, { typed, level: written(text, value) }));
    } else {
      seen.set(name, { typed, level: written(text, value) });
      const checked = checkLevel(doc, text, typed, name, value);
      if ('level' in checked) permissions[name] = checked.level;
      else problems.push(checked.problem);
    }
  }
  if (problems.length) throw new PermissionsError(problems, listNamesIn && listPermissions(listNamesIn === 'kebab'));
  return permissions;
}

export interface UngrantedPermission {
  name: string;
  requested: string;
  /** What the installation grants for this permission; absent when it grants nothing. */
  granted?: string;
}

/**
 * The requested permissions the installation does not cover, in request order. A grant covers a request at its
 * level or below (read < write < admin; only a few permissions have admin). `granted` is the installation's
 * `permissions` object as GitHub returns it.
 */
export function findUngrantedPermissions(
  requested: Readonly<Record<string, PermissionLevel>>,
  granted: Readonly<Record<string, string>>,
): UngrantedPermission[] {
  const rank = (level: string) => (Object.hasOwn(LEVEL_RANK, level) ? LEVEL_RANK[level] : 0);
  return Object.entries(requested).flatMap(([name, level]) => {
    const has = Object.hasOwn(granted, name) ? granted[name] : undefined;
    if (has === undefined) return [{ name, requested: level }];
    return rank(has) >= rank(level) ? [] : [{ name, requested: level, granted: has }];
  });
}

/** A message for a run whose requested permissions the installation does not grant: what is missing, what it has, the fix. */
export function describeUngranted(
  list: readonly UngrantedPermission[],
  granted: Readonly<Record<string, string>>,
): string {
  if (!list.length) return 'The installation grants every requested permission.';
  const missing = list.map(({ name, requested, granted: has }) =>
    has === undefined
      ? `${name}: ${requested} (it grants no ${name} access)`
      : `${name}: ${requested} (it grants ${name}: ${has})`,
  );
  const grants = Object.entries(granted).map(([name, level]) => `${name}: ${level}`);
  const [these, them] = list.length === 1 ? ['this permission', 'it'] : ['these permissions', 'them'];
  return (
    `The installation does not grant ${either(missing)}. ` +
    `Granted: ${grants.length ? grants.join(', ') : 'nothing'}. ` +
    "Ask an owner of the account to accept the app's new permissions on the installation's settings page " +
    `(if the app's settings do not ask for ${these} yet, add ${them} under "Permissions & events" first; ` +
    'that sends the owner the request), or request less.'
  );
}
