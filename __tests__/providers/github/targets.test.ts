import { showValue } from '../../../src/settings/value-shape.js';
// Which installations a step asks tokens of: every rule of owner, repositories, enterprise and installation-id,
// each refusal with the message a user reads.
import { InputError } from '../../../src/errors.js';
import type { Permissions } from '../../../src/providers/github/permissions.js';
import {
  asksForToken,
  currentRepository,
  isRepositoryName,
  readTargets,
  type InstallationTarget,
} from '../../../src/providers/github/targets.js';
import { createInputReader, type Env } from '../../../src/settings/inputs.js';

const IN_A_RUN: Env = { GITHUB_REPOSITORY: 'octo-org/octo-repo' };

const reader = (inputs: Record<string, string>) => createInputReader((name) => inputs[name] ?? '');

const targets = (inputs: Record<string, string>, env: Env = IN_A_RUN, permissions?: Permissions) =>
  readTargets(reader(inputs), env, permissions);

function errorOf(inputs: Record<string, string>, env: Env = IN_A_RUN): InputError {
  try {
    targets(inputs, env);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw new Error(`not an InputError: ${String(error)}`);
  }
  throw new Error('no error');
}

/** A target as readTargets builds it for an account, with no installation-id and no permissions. */
const account = (owner: string, repositories: string[] = []): InstallationTarget => ({
  installationId: undefined,
  owner,
  repositories,
  permissions: undefined,
});

describe('the current repository', () => {
  test('with neither owner nor repositories, the token is for the repository the workflow runs in', () => {
    expect(targets({})).toEqual([account('octo-org', ['octo-repo'])]);
  });

  test('installation-id alone keeps the current repository as what the token covers', () => {
    expect(targets({ 'installation-id': '42' })).toEqual([
      { installationId: 42, owner: 'octo-org', repositories: ['octo-repo'], permissions: undefined },
    ]);
  });

  test('outside a workflow run, owner is needed, installation-id or not', () => {
    for (const inputs of [{}, { 'installation-id': '42' }] as Record<string, string>[]) {
      const error = errorOf(inputs, {});
      expect(error.input).toBe('owner');
      expect(error.message).toBe(
        "Input 'owner': is needed outside a workflow run (GITHUB_REPOSITORY is not set), installation-id or not: set it to the account the app is installed on.",
      );
    }
  });

  test('outside a workflow run, installation-id with owner is a token for that installation on the owner', () => {
    expect(targets({ 'installation-id': '42', owner: 'mona' }, {})).toEqual([
      { installationId: 42, owner: 'mona', repositories: [], permissions: undefined },
    ]);
  });

  test('a GITHUB_REPOSITORY that is not owner/name counts as none', () => {
    for (const GITHUB_REPOSITORY of ['octo-org', 'octo-org/api/extra', '/api', 'octo-org/', ''])
      expect(errorOf({}, { GITHUB_REPOSITORY }).input).toBe('owner');
  });

  test('currentRepository splits GITHUB_REPOSITORY into owner and name, or gives nothing', () => {
    expect(currentRepository({ GITHUB_REPOSITORY: 'octo-org/octo-repo' })).toEqual({
      owner: 'octo-org',
      name: 'octo-repo',
    });
    expect(currentRepository({})).toBeUndefined();
    expect(currentRepository({ GITHUB_REPOSITORY: 'a/b/c' })).toBeUndefined();
  });
});

describe('one account', () => {
  test('owner alone covers every repository the installation can reach', () => {
    expect(targets({ owner: 'other' })).toEqual([account('other')]);
  });

  test('bare repository names are in the current repository owner', () => {
    expect(targets({ repositories: 'api, octo-org/web' })).toEqual([account('octo-org', ['api', 'web'])]);
  });

  test('with owner, bare names are in that owner', () => {
    expect(targets({ owner: 'mona', repositories: 'dotfiles' })).toEqual([account('mona', ['dotfiles'])]);
  });

  test('repositories are split on commas and new lines, owner/ prefixes dropped, duplicates removed', () => {
    expect(targets({ owner: 'o', repositories: 'a, o/b\nc,,A\r\n  d  ' })).toEqual([
      account('o', ['a', 'b', 'c', 'd']),
    ]);
  });

  test('an owner/ prefix is matched without regard to case, and the owner keeps the spelling given', () => {
    expect(targets({ owner: 'Octo-Org', repositories: 'octo-org/api' })).toEqual([account('Octo-Org', ['api'])]);
  });

  test('the permissions asked for go with the target', () => {
    const permissions: Permissions = { contents: 'write' };
    expect(targets({ owner: 'mona' }, IN_A_RUN, permissions)).toEqual([
      { installationId: undefined, owner: 'mona', repositories: [], permissions },
    ]);
  });
});

describe('several accounts', () => {
  test('owner lists accounts separated by commas or new lines, each its own target, in the order given', () => {
    expect(targets({ owner: 'octo-org, mona\nthird-org' })).toEqual([
      account('octo-org'),
      account('mona'),
      account('third-org'),
    ]);
  });

  test('an account listed twice, in any case, is asked for once, as first spelt', () => {
    expect(targets({ owner: 'octo-org, Octo-Org,, mona, OCTO-ORG' })).toEqual([account('octo-org'), account('mona')]);
  });

  test('repositories of several accounts give each account its own target, bare names in the current owner', () => {
    // Before several accounts, a repository of another account than the current one was an error.
    expect(targets({ repositories: 'api, mona/dotfiles, octo-org/web, third-org/site' })).toEqual([
      account('octo-org', ['api', 'web']),
      account('mona', ['dotfiles']),
      account('third-org', ['site']),
    ]);
  });

  test('outside a workflow run, owner/name entries alone name the accounts', () => {
    expect(targets({ repositories: 'mona/dotfiles, Mona/blog' }, {})).toEqual([account('mona', ['dotfiles', 'blog'])]);
  });

  test('with several owners, each owner/name goes to its account, and an account named by none covers all', () => {
    expect(targets({ owner: 'octo-org, mona, third-org', repositories: 'MONA/dotfiles, octo-org/api' })).toEqual([
      account('octo-org', ['api']),
      account('mona', ['dotfiles']),
      account('third-org'),
    ]);
  });

  test('a bare repository name when owner lists several accounts is refused: it could be any of them', () => {
    const error = errorOf({ owner: 'octo-org, mona', repositories: 'octo-org/api, web' });
    expect(error.input).toBe('repositories');
    expect(error.message).toBe(
      "Input 'repositories': 'web' has no owner, and owner lists several accounts (octo-org, mona). Write it as owner/web.",
    );
  });

  test('a repository of an account that owner does not list is refused, naming both ways out', () => {
    const error = errorOf({ owner: 'octo-org', repositories: 'api, mona/dotfiles' });
    expect(error.input).toBe('repositories');
    expect(error.message).toBe(
      "Input 'repositories': 'mona/dotfiles' belongs to 'mona', which owner does not list (octo-org). Add mona to owner, or leave owner out to take the accounts from repositories.",
    );
  });

  test('a bare name outside a workflow run has no owner to belong to', () => {
    expect(errorOf({ repositories: 'mona/dotfiles, api' }, {}).message).toBe(
      "Input 'repositories': 'api' has no owner, and outside a workflow run (GITHUB_REPOSITORY is not set) there is no current one: write owner/api, or set owner.",
    );
  });
});

describe('account names', () => {
  test('an owner given as owner/repository is refused with the two inputs to set instead', () => {
    expect(errorOf({ owner: 'octo-org/api' }).message).toBe(
      "Input 'owner': 'octo-org/api' is a repository, not an account. Set owner to 'octo-org' and repositories to 'api'.",
    );
  });

  test.each(['-octo', 'octo_org', 'octo org', 'octo.org', 'a'.repeat(40), '::stop-commands::x', '..', 'octo%2Forg'])(
    'owner %j is not a GitHub account name',
    (owner) => {
      const error = errorOf({ owner: `octo-org, ${owner}` });
      expect(error.input).toBe('owner');
      expect(error.message).toBe(
        `Input 'owner': ${showValue(owner)} is not a GitHub user or organization name (letters, digits and hyphens, starting with a letter or digit, at most 39).`,
      );
    },
  );

  test('a line break in owner separates two accounts: neither half reaches a message or a path unchecked', () => {
    expect(errorOf({ owner: 'octo-org\n::stop-commands::abc' }).message).toBe(
      "Input 'owner': '::stop-commands::abc' is not a GitHub user or organization name (letters, digits and hyphens, starting with a letter or digit, at most 39).",
    );
  });

  test.each(['a', 'a'.repeat(39), 'mona-lisa', 'foo-', 'gil--bert', 'A1'])(
    'owner %j is accepted: accounts older than the sign-up rules end in hyphens or have two in a row',
    (owner) => {
      expect(targets({ owner })).toEqual([account(owner)]);
    },
  );
});

describe('repository names', () => {
  test.each([
    ['a/b/c', 'a/b/c'],
    ['my repo', 'my repo'],
    ['api,we$b', 'we$b'],
    ['.', '.'],
    ['..', '..'],
    ['octo-org/..', 'octo-org/..'],
    ['/api', '/api'],
    ['bad_owner/api', 'bad_owner/api'],
    ['x'.repeat(101), 'x'.repeat(101)],
    ['api?x=1', 'api?x=1'],
  ])('%j is refused before any request', (value, bad) => {
    const error = errorOf({ repositories: value });
    expect(error.input).toBe('repositories');
    expect(error.message).toBe(
      `Input 'repositories': ${showValue(bad)} is not a repository name: names have letters, digits, '-', '_' and '.' (not '.' or '..', at most 100). Write names (api, web) or owner/name, separated by commas or new lines.`,
    );
  });

  test('names GitHub allows are kept as written', () => {
    const names = ['.github', 'a.b_c-d', '...', 'x'.repeat(100), '_'];
    expect(targets({ repositories: names.join(',') })).toEqual([account('octo-org', names)]);
  });

  test('isRepositoryName follows GitHub: letters, digits, -, _ and ., at most 100, not . or ..', () => {
    expect(['api', '.github', '..x', 'x'.repeat(100)].map(isRepositoryName)).toEqual([true, true, true, true]);
    expect(['', '.', '..', 'a b', 'a/b', 'x'.repeat(101), 'é'].map(isRepositoryName)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('installation-id', () => {
  test.each(['0', '-1', '1.5', 'abc', '1e3', '0x2A', '99999999999999999999'])('%s is refused', (value) => {
    const error = errorOf({ 'installation-id': value });
    expect(error.input).toBe('installation-id');
    expect(error.message).toBe(
      `Input 'installation-id': '${value}' is not an installation ID (a positive whole number, the last part of the installation's settings URL).`,
    );
  });

  test('the largest safe integer is an installation ID; one more is not', () => {
    expect(targets({ 'installation-id': String(Number.MAX_SAFE_INTEGER) })[0].installationId).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(errorOf({ 'installation-id': '9007199254740992' }).input).toBe('installation-id');
  });

  test('with one owner and its repositories, installation-id goes with that account', () => {
    expect(targets({ 'installation-id': '7', owner: 'mona', repositories: 'mona/dotfiles, blog' })).toEqual([
      { installationId: 7, owner: 'mona', repositories: ['dotfiles', 'blog'], permissions: undefined },
    ]);
  });

  test('installation-id names one installation: with owner listing several accounts it is refused', () => {
    const error = errorOf({ 'installation-id': '7', owner: 'octo-org, mona' });
    expect(error.input).toBe('installation-id');
    expect(error.message).toBe(
      "Input 'installation-id': names one installation, and owner lists 2 accounts. Leave installation-id out to look each account's installation up, or list one owner.",
    );
  });

  test('installation-id names one installation: with repositories of several accounts it is refused', () => {
    const error = errorOf({ 'installation-id': '7', repositories: 'api, mona/dotfiles' });
    expect(error.input).toBe('installation-id');
    expect(error.message).toBe(
      "Input 'installation-id': names one installation, and repositories name 2 accounts (octo-org, mona). Leave installation-id out, or use one account.",
    );
  });
});

describe('enterprise', () => {
  test("the token is for the app's installation on the enterprise, with the permissions asked for", () => {
    const permissions: Permissions = { enterprise_custom_properties_for_organizations: 'read' };
    expect(targets({ enterprise: 'octo-ent' }, IN_A_RUN, permissions)).toEqual([
      { owner: 'octo-ent', enterprise: true, repositories: [], permissions },
    ]);
  });

  test('it needs no workflow run: the enterprise is the account', () => {
    expect(targets({ enterprise: 'octo-ent' }, {})).toEqual([
      { owner: 'octo-ent', enterprise: true, repositories: [], permissions: undefined },
    ]);
  });

  test.each(['owner', 'repositories', 'installation-id'])('enterprise with %s is refused on enterprise', (name) => {
    const error = errorOf({ enterprise: 'octo-ent', [name]: name === 'installation-id' ? '7' : 'octo-org' });
    expect(error.input).toBe('enterprise');
    expect(error.message).toBe(
      `Input 'enterprise': and ${name} are both set. An enterprise installation's token is for the enterprise itself; remove ${name}, or use a separate step for the accounts' tokens.`,
    );
  });

  test.each(['octo ent', 'octo_ent', '-octo', 'octo/ent', 'x'.repeat(256), '::warning::x'])(
    'enterprise %j is not an enterprise slug',
    (enterprise) => {
      const error = errorOf({ enterprise });
      expect(error.input).toBe('enterprise');
      expect(error.message).toBe(
        `Input 'enterprise': ${showValue(enterprise)} is not an enterprise slug (letters, digits and hyphens, as in https://github.com/enterprises/SLUG).`,
      );
    },
  );

  test('slugs of letters, digits and hyphens up to 255 characters are accepted', () => {
    for (const enterprise of ['octo-ent', 'Octo-Ent-2', 'x'.repeat(255)])
      expect(targets({ enterprise })[0].owner).toBe(enterprise);
  });
});

describe('asksForToken', () => {
  test.each(['installation-id', 'owner', 'repositories', 'enterprise'])('%s asks for an installation token', (name) => {
    expect(asksForToken(reader({ [name]: 'x' }))).toBe(true);
  });

  test('no target input, or only blanks, asks for none (exchange is read on its own)', () => {
    expect(asksForToken(reader({}))).toBe(false);
    expect(asksForToken(reader({ owner: '  ', exchange: 'true' }))).toBe(false);
  });
});

test('a token pasted into installation-id, owner or enterprise is described, never quoted', () => {
  const token = `ghs_${'A1b2C3'.repeat(6)}`;
  for (const input of ['installation-id', 'owner', 'enterprise']) {
    const error = errorOf({ [input]: token });
    expect(error.input).toBe(input);
    expect(error.message).not.toContain(token);
    expect(error.message).toMatch(/a GitHub token \(40 characters\)/);
  }
});
