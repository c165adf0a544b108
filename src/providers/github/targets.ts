// Which installations to get tokens for, from owner, repositories, enterprise and installation-id: one target
// per account (several accounts give one token each), or the app's enterprise installation.
import { InputError } from '../../errors.js';
import type { Env, InputReader } from '../../settings/inputs.js';
import { showValue } from '../../settings/value-shape.js';
import type { Permissions } from './permissions.js';

/** One installation to get a token for, and what the token may reach. */
export interface InstallationTarget {
  /** Given: no lookup. */
  installationId?: number;
  /** The account (user or organization) whose installation it is; for an enterprise, the enterprise slug. */
  owner: string;
  /** The app's installation on the enterprise `owner` (GET /enterprises/{enterprise}/installation). */
  enterprise?: boolean;
  /** Names within `owner`; empty means every repository the installation can reach. */
  repositories: string[];
  permissions?: Permissions;
}

/**
 * Account names: letters, digits and hyphens, starting with a letter or digit, at most 39. Today's sign-up form
 * also refuses a trailing hyphen and two in a row, but accounts made before that rule (`foo-`, `gil--`) still
 * exist and have installations: what matters here is that a name cannot leave its path segment or its line.
 */
export const LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** An enterprise slug: letters, digits and hyphens. */
export const ENTERPRISE_SLUG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,254})$/;
/** GitHub's rules for repository names: letters, digits, -, _ and ., at most 100; not . or .. */
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

export function isRepositoryName(name: string): boolean {
  return REPOSITORY.test(name) && name !== '.' && name !== '..';
}

const split = (text: string) =>
  text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function readOwners(read: InputReader): string[] {
  const owners: string[] = [];
  for (const owner of split(read.text('owner'))) {
    if (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(owner))
      throw new InputError(
        'owner',
        `'${owner}' is a repository, not an account. Set owner to '${owner.split('/')[0]}' and repositories to '${owner.split('/').slice(1).join('/')}'.`,
      );
    if (!LOGIN.test(owner))
      throw new InputError(
        'owner',
        `${showValue(owner)} is not a GitHub user or organization name (letters, digits and hyphens, starting with a letter or digit, at most 39).`,
      );
    if (!owners.some((known) => same(known, owner))) owners.push(owner);
  }
  return owners;
}

interface RepositoryEntry {
  entry: string;
  owner?: string;
  name: string;
}

function readRepositoryEntries(read: InputReader): RepositoryEntry[] {
  return split(read.text('repositories')).map((entry) => {
    const parts = entry.split('/');
    const name = parts.at(-1) ?? '';
    if (parts.length > 2 || !isRepositoryName(name) || (parts.length === 2 && !LOGIN.test(parts[0])))
      throw new InputError(
        'repositories',
        `${showValue(entry)} is not a repository name: names have letters, digits, '-', '_' and '.' (not '.' or '..', at most 100). Write names (api, web) or owner/name, separated by commas or new lines.`,
      );
    return { entry, owner: parts.length === 2 ? parts[0] : undefined, name };
  });
}

export function currentRepository(env: Env): { owner: string; name: string } | undefined {
  const [owner, name, extra] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && name && extra === undefined ? { owner, name } : undefined;
}

function readInstallationId(read: InputReader): number | undefined {
  const text = read.text('installation-id');
  if (!text) return undefined;
  const id = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(id > 0 && Number.isSafeInteger(id)))
    throw new InputError(
      'installation-id',
      `${showValue(text)} is not an installation ID (a positive whole number, the last part of the installation's settings URL).`,
    );
  return id;
}

/** Whether the inputs ask for an installation token at all (besides exchange: true). */
export function asksForToken(read: InputReader): boolean {
  return ['installation-id', 'owner', 'repositories', 'enterprise'].some((name) => !!read.text(name));
}

function readEnterprise(read: InputReader): string | undefined {
  const enterprise = read.text('enterprise');
  if (!enterprise) return undefined;
  for (const name of ['owner', 'repositories', 'installation-id'])
    if (read.text(name))
      throw new InputError(
        'enterprise',
        `and ${name} are both set. An enterprise installation's token is for the enterprise itself; remove ${name}, or use a separate step for the accounts' tokens.`,
      );
  if (!ENTERPRISE_SLUG.test(enterprise))
    throw new InputError(
      'enterprise',
      `${showValue(enterprise)} is not an enterprise slug (letters, digits and hyphens, as in https://github.com/enterprises/SLUG).`,
    );
  return enterprise;
}

/**
 * The installations to get tokens for, in the order the inputs list their accounts (the first one's token is
 * the `token` output). With neither owner nor repositories: the current repository.
 */
export function readTargets(read: InputReader, env: Env, permissions: Permissions | undefined): InstallationTarget[] {
  const enterprise = readEnterprise(read);
  if (enterprise) return [{ owner: enterprise, enterprise: true, repositories: [], permissions }];
  const installationId = readInstallationId(read);
  const owners = readOwners(read);
  const entries = readRepositoryEntries(read);
  const current = currentRepository(env);
  if (owners.length > 1) {
    if (installationId !== undefined)
      throw new InputError(
        'installation-id',
        `names one installation, and owner lists ${owners.length} accounts. Leave installation-id out to look each account's installation up, or list one owner.`,
      );
    const bare = entries.find((entry) => !entry.owner);
    if (bare)
      throw new InputError(
        'repositories',
        `'${bare.entry}' has no owner, and owner lists several accounts (${owners.join(', ')}). Write it as owner/${bare.name}.`,
      );
  }
  const outside = entries.find((entry) => entry.owner && owners.length && !owners.some((o) => same(o, entry.owner!)));
  if (outside)
    throw new InputError(
      'repositories',
      `'${outside.entry}' belongs to '${outside.owner}', which owner does not list (${owners.join(', ')}). Add ${outside.owner} to owner, or leave owner out to take the accounts from repositories.`,
    );
  // The accounts: those owner lists, else those repositories name (a bare name is the current repository's owner's).
  const accounts = [...owners];
  for (const entry of entries) {
    const owner = entry.owner ?? owners[0] ?? current?.owner;
    if (!owner)
      throw new InputError(
        'repositories',
        `'${entry.entry}' has no owner, and outside a workflow run (GITHUB_REPOSITORY is not set) there is no current one: write owner/${entry.name}, or set owner.`,
      );
    if (!accounts.some((account) => same(account, owner))) accounts.push(owner);
  }
  if (!accounts.length) {
    if (!current)
      throw new InputError(
        'owner',
        'is needed outside a workflow run (GITHUB_REPOSITORY is not set), installation-id or not: set it to the account the app is installed on.',
      );
    return [{ installationId, owner: current.owner, repositories: [current.name], permissions }];
  }
  if (installationId !== undefined && accounts.length > 1)
    throw new InputError(
      'installation-id',
      `names one installation, and repositories name ${accounts.length} accounts (${accounts.join(', ')}). Leave installation-id out, or use one account.`,
    );
  return accounts.map((account) => {
    const names: string[] = [];
    for (const entry of entries)
      if (same(entry.owner ?? owners[0] ?? current?.owner ?? '', account) && !names.some((n) => same(n, entry.name)))
        names.push(entry.name);
    return { installationId, owner: account, repositories: names, permissions };
  });
}
