import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { APP_PERMISSIONS } from '../../../src/providers/github/permission-list.js';
import {
  describeUngranted,
  findUngrantedPermissions,
  parsePermissions,
  PermissionsError,
  type PermissionLevel,
} from '../../../src/providers/github/permissions.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** How every message of the permissions input begins. */
const INPUT = "Input 'permissions': ";

/** The error parsePermissions throws for `text`; fails the test when it throws nothing or something else. */
function rejection(text: string): PermissionsError {
  try {
    parsePermissions(text);
  } catch (error) {
    if (error instanceof PermissionsError) return error;
    throw error;
  }
  throw new Error(`parsePermissions accepted ${JSON.stringify(text)}`);
}

describe('the permissions input when it is accepted', () => {
  test('empty input means all of the installation permissions (undefined)', () => {
    expect(parsePermissions('')).toBeUndefined();
  });

  test('input of only blank lines means all of the installation permissions', () => {
    expect(parsePermissions('  \n\n  ')).toBeUndefined();
  });

  test('input of only comments means all of the installation permissions', () => {
    expect(parsePermissions('# contents: write\n# issues: read\n')).toBeUndefined();
  });

  test('a YAML mapping gives each permission its level', () => {
    expect(parsePermissions('contents: write\nissues: read\n')).toEqual({ contents: 'write', issues: 'read' });
  });

  test('comments, whole-line and trailing, are ignored', () => {
    expect(parsePermissions('# for the release\ncontents: write # push tags\n')).toEqual({ contents: 'write' });
  });

  test('kebab-case names become snake_case', () => {
    expect(parsePermissions('pull-requests: write')).toEqual({ pull_requests: 'write' });
  });

  test('snake_case names are kept', () => {
    expect(parsePermissions('pull_requests: write')).toEqual({ pull_requests: 'write' });
  });

  test('a JSON object is accepted', () => {
    expect(parsePermissions('{"pull-requests": "write", "contents": "read"}')).toEqual({
      pull_requests: 'write',
      contents: 'read',
    });
  });

  test('quoted levels are accepted', () => {
    expect(parsePermissions("contents: 'write'")).toEqual({ contents: 'write' });
  });

  test('admin is accepted for a permission that has it', () => {
    expect(parsePermissions('organization-projects: admin')).toEqual({ organization_projects: 'admin' });
  });

  test('the permissions keep the order they were written in', () => {
    expect(Object.keys(parsePermissions('statuses: read\nactions: read\nchecks: write') ?? {})).toEqual([
      'statuses',
      'actions',
      'checks',
    ]);
  });
});

describe('an unknown permission name', () => {
  test('a missing letter is answered with the closest name, in the kebab-case it was written in', () => {
    expect(rejection('pull-request: write').message).toBe(
      INPUT + "'pull-request' is not a GitHub App permission. Did you mean `pull-requests`?",
    );
  });

  test('a snake_case typo is answered in snake_case', () => {
    expect(rejection('pull_request: write').message).toContain('Did you mean `pull_requests`?');
  });

  test('swapped letters count as one typo', () => {
    expect(rejection('contetns: read').message).toContain('Did you mean `contents`?');
  });

  test('a word that is part of several names suggests each of them', () => {
    expect(rejection('projects: write').message).toContain(
      'Did you mean `repository_projects` or `organization_projects`?',
    );
  });

  test("a name from GitHub's settings page is answered with the API's name", () => {
    expect(rejection('dependabot-alerts: read').message).toContain('Did you mean `vulnerability-alerts`?');
  });

  test('the org- abbreviation is answered with the organization- name', () => {
    expect(rejection('org-secrets: read').message).toContain('Did you mean `organization-secrets`?');
  });

  test('a name close to nothing is answered with the list of every permission, once', () => {
    const message = rejection('foo: read\nbar: read').message;
    expect(message.match(/The permissions a GitHub App can request are: actions, administration, /g)).toHaveLength(1);
  });

  test('a capitalised name is answered with its lowercase spelling', () => {
    expect(rejection('Contents: read').message).toBe(
      INPUT + "'Contents': permission names are lowercase; write `contents`.",
    );
  });

  test('id-token is explained as a workflow permission, not an app permission', () => {
    expect(rejection('id-token: write').message).toContain("set it in the job's `permissions:` block");
  });

  test('a whole permissions: block is answered with "give only the lines under it"', () => {
    expect(rejection('permissions:\n  contents: write').message).toContain('give only the lines under it');
  });

  test.each(['constructor', '__proto__', 'toString'])('%s is not taken for a permission', (name) => {
    expect(rejection(`${name}: read`).message).toContain(`'${name}' is not a GitHub App permission.`);
  });
});

describe('a bad level', () => {
  test('a capitalised level is refused with the lowercase fix', () => {
    expect(rejection('issues: Write').message).toBe(
      INPUT + "'issues: Write': levels are lowercase, as GitHub spells them; write `issues: write`.",
    );
  });

  test('a level the permission lacks is answered with the levels it has', () => {
    expect(rejection('contents: admin').message).toBe(
      INPUT + "'contents: admin': 'admin' is not a level contents can have; it can be read or write.",
    );
  });

  test('a permission with a single level says so', () => {
    expect(rejection('workflows: read').message).toContain('it can only be write.');
  });

  test('none is answered with "delete its line"', () => {
    expect(rejection('issues: none').message).toContain('To leave issues out of the token, delete its line');
  });

  test('a number is not a level', () => {
    expect(rejection('contents: 1').message).toContain("'1' is not a level contents can have");
  });

  test('an empty value says there is no level and shows the forms to write', () => {
    expect(rejection('contents:').message).toBe(
      INPUT + "'contents' has no level; write `contents: read` or `contents: write`.",
    );
  });

  test('an empty quoted value says there is no level', () => {
    expect(rejection('contents: ""').message).toContain("'contents' has no level");
  });

  test('a list of levels asks for one level and shows the form', () => {
    expect(rejection('contents: [read, write]').message).toBe(
      INPUT +
        "'contents' has a list ('[read, write]') instead of a level; give the one level it needs, e.g. `contents: write`.",
    );
  });
});

describe('a permission given twice', () => {
  test('kebab-case and snake_case spellings of one permission are a duplicate', () => {
    expect(rejection('pull-requests: read\npull_requests: write').message).toBe(
      INPUT +
        "'pull-requests: read' and 'pull_requests: write' name the same permission; keep one line, e.g. `pull-requests: write`.",
    );
  });

  test('the same key twice is a duplicate, not a silent override', () => {
    expect(rejection('contents: read\ncontents: write').message).toBe(
      INPUT +
        "'contents' is given twice ('contents: read' and 'contents: write'); keep one line, e.g. `contents: write`.",
    );
  });

  test('a duplicate key in JSON is a duplicate', () => {
    expect(rejection('{"contents": "read", "contents": "write"}').message).toContain("'contents' is given twice");
  });
});

describe('input that is not a mapping', () => {
  test('a name and level without a colon are answered with `name: level`', () => {
    expect(rejection('contents write').message).toBe(
      INPUT +
        "'contents write' is not a mapping: write `contents: write`, the name, a colon and a space, then the level.",
    );
  });

  test('a colon without a space is answered with `name: level`', () => {
    expect(rejection('contents:write').message).toContain('write `contents: write`');
  });

  test('a YAML list of mappings is answered with "remove the dashes" and the expected form', () => {
    expect(rejection('- contents: write\n- issues: read').message).toBe(
      INPUT +
        'is a list (its lines start with "- "), not a mapping: remove the dashes. ' +
        'Write one `name: level` per line, e.g. `contents: write`, or a JSON object: {"contents": "write"}.',
    );
  });

  test('a list of names says it is a list and shows the expected form', () => {
    expect(rejection('[contents, issues]').message).toMatch(
      /^Input 'permissions': is a list, not a mapping .* e\.g\. `contents: write`/,
    );
  });

  test('several permissions on one line are answered with "put each on its own line"', () => {
    expect(rejection('contents: write, issues: read').message).toMatch(
      /^Input 'permissions': puts several permissions on one line \('contents: write, issues: read'\): put each on its own line/,
    );
  });

  test('text that is neither YAML nor JSON says so, with where and the expected form', () => {
    expect(rejection('{"contents": "write",,}').message).toMatch(
      /^Input 'permissions': is not valid YAML or JSON \(.*line 1, column 22\)\. Write one `name: level` per line, e.g\. `contents: write`/,
    );
  });

  test('an empty mapping is refused rather than read as "no permissions"', () => {
    expect(rejection('{}').message).toContain('is an empty mapping');
  });

  test('the read-all shorthand is answered with "list each permission"', () => {
    expect(rejection('read-all').message).toContain('list each permission the app token needs');
  });

  test('a lone value says it is not a mapping and shows the expected form', () => {
    expect(rejection('42').message).toMatch(
      /^Input 'permissions': '42' is a single value, not a mapping .* e\.g\. `contents: write`/,
    );
  });
});

describe('the error', () => {
  test("is a PermissionsError, an InputError on 'permissions' whose detail is the message without the input's name", () => {
    const error = rejection('pull-request: write');
    expect([error instanceof InputError, error.name, error.input]).toEqual([true, 'PermissionsError', 'permissions']);
    expect(error.message).toBe(`${INPUT}${error.detail}`);
  });

  test('names every bad entry at once, numbered', () => {
    const error = rejection('pull-request: write\ncontents: read\nissues: Write');
    expect(error.message).toMatch(
      /^Input 'permissions': has 2 problems: \(1\) 'pull-request' .* \(2\) 'issues: Write'/,
    );
  });

  test('keeps each problem for callers that list them', () => {
    expect(rejection('pull-request: write\nissues: Write').problems).toHaveLength(2);
  });
});

describe('the generated permission list', () => {
  test('has the permissions workflows most often ask for, with their levels', () => {
    expect([APP_PERMISSIONS.contents, APP_PERMISSIONS.pull_requests, APP_PERMISSIONS.workflows]).toEqual([
      ['read', 'write'],
      ['read', 'write'],
      ['write'],
    ]);
  });

  test('holds only the levels read, write and admin', () => {
    expect(new Set(Object.values(APP_PERMISSIONS).flat())).toEqual(new Set(['read', 'write', 'admin']));
  });

  test('matches what `node scripts/generate-permissions.ts` would write from the installed @octokit/openapi', () => {
    const run = spawnSync(process.execPath, ['scripts/generate-permissions.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

describe('findUngrantedPermissions', () => {
  const granted = { contents: 'write', metadata: 'read', pull_requests: 'read', organization_projects: 'admin' };

  test('a request the installation grants at the same level is covered', () => {
    expect(findUngrantedPermissions({ metadata: 'read' }, granted)).toEqual([]);
  });

  test('write covers a request for read', () => {
    expect(findUngrantedPermissions({ contents: 'read' }, granted)).toEqual([]);
  });

  test('admin covers a request for write', () => {
    expect(findUngrantedPermissions({ organization_projects: 'write' }, granted)).toEqual([]);
  });

  test('a request above the granted level is reported with what is granted', () => {
    expect(findUngrantedPermissions({ pull_requests: 'write' }, granted)).toEqual([
      { name: 'pull_requests', requested: 'write', granted: 'read' },
    ]);
  });

  test('a request the installation does not grant at all is reported without a granted level', () => {
    expect(findUngrantedPermissions({ issues: 'read' }, granted)).toEqual([{ name: 'issues', requested: 'read' }]);
  });

  test('requests are reported in the order they were made', () => {
    expect(
      findUngrantedPermissions({ issues: 'read', contents: 'read', pull_requests: 'write' }, granted).map(
        (u) => u.name,
      ),
    ).toEqual(['issues', 'pull_requests']);
  });

  test('a name inherited by every object is not taken for a grant', () => {
    const requested = Object.fromEntries([['constructor', 'read']]) as Record<string, PermissionLevel>;
    expect(findUngrantedPermissions(requested, {})).toEqual([{ name: 'constructor', requested: 'read' }]);
  });

  test('a granted level it does not know does not cover a request', () => {
    expect(findUngrantedPermissions({ contents: 'read' }, { contents: 'maintain' })).toEqual([
      { name: 'contents', requested: 'read', granted: 'maintain' },
    ]);
  });
});

describe('describeUngranted', () => {
  const granted = { contents: 'write', metadata: 'read', pull_requests: 'read' };

  test('says what is missing, what is granted and how to fix it', () => {
    const list = findUngrantedPermissions({ pull_requests: 'write' }, granted);
    expect(describeUngranted(list, granted)).toBe(
      'The installation does not grant pull_requests: write (it grants pull_requests: read). ' +
        'Granted: contents: write, metadata: read, pull_requests: read. ' +
        "Ask an owner of the account to accept the app's new permissions on the installation's settings page " +
        `(if the app's settings do not ask for this permission yet, add it under "Permissions & events" first; ` +
        'that sends the owner the request), or request less.',
    );
  });

  test('a permission not granted at all says so', () => {
    const list = findUngrantedPermissions({ issues: 'write' }, granted);
    expect(describeUngranted(list, granted)).toContain('does not grant issues: write (it grants no issues access).');
  });

  test('several missing permissions are all named, in the plural', () => {
    const list = findUngrantedPermissions({ issues: 'write', pull_requests: 'write' }, granted);
    expect(describeUngranted(list, granted)).toMatch(
      /does not grant issues: write \(.*\) or pull_requests: write \(.*\)\..*do not ask for these permissions yet, add them/,
    );
  });

  test('an installation that grants nothing says "Granted: nothing"', () => {
    expect(describeUngranted([{ name: 'issues', requested: 'read' }], {})).toContain('Granted: nothing.');
  });
});
