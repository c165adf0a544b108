// Finding the app's installation and exchanging the app JWT for an installation token, with the cause and the
// fix for every answer GitHub gives on the way.
import type { ApiResponse } from '../../http/response.js';
import type { Credentials } from '../provider.js';
import { apiMessage, GitHubApiError, type GitHubApi } from './api.js';
import { describeUngranted, findUngrantedPermissions, type Permissions } from './permissions.js';
import type { InstallationTarget } from './settings.js';
import { installAppUrl, installationSettingsUrl } from './urls.js';

interface Installation {
  id: number;
  app_slug?: string;
  account?: { login: string; type?: string };
  permissions?: Permissions;
}

interface AccessToken {
  token: string;
  expires_at: string;
  permissions?: Permissions;
  repositories?: { name: string }[];
}

/** Messages for the answers any app-authenticated request can get, whatever it asked. */
function describeAppFailure(response: ApiResponse, action: string, issuer: string, apiUrl: string): string {
  const message = apiMessage(response);
  if (response.status === 401 && /JSON web token could not be decoded/.test(message))
    return `${action} failed: GitHub could not verify the JWT (401 "${message}"). The private key does not belong to app ${issuer}, or app-id and private-key are from different apps. Generate a key on that app's settings page and store it in the secret; keys deleted there stop working at once.`;
  if (response.status === 404 && /Integration not found/.test(message))
    return `${action} failed: there is no GitHub App with ID ${issuer} at ${apiUrl} (404 "${message}"). Check app-id: it is the App ID or Client ID on the app's settings page, not an installation ID. For GitHub Enterprise Server, set github-api-url to https://HOST/api/v3.`;
  if (response.status === 401 && /claim/.test(message))
    return `${action} failed: GitHub still rejected the JWT's times after correcting for its clock (401 "${message}"). Check the runner's clock.`;
  if (response.status === 403 && /suspended/i.test(message))
    return `${action} failed: the installation is suspended (403 "${message}"). An owner of the account can unsuspend it in the app's installation settings.`;
  if (response.status >= 500)
    return `${action} failed: GitHub answered ${response.status} ("${message}") after retrying. GitHub may be having an incident (https://www.githubstatus.com); re-run the job later.`;
  return `${action} failed: GitHub answered ${response.status} "${message}".`;
}

async function appSlug(api: GitHubApi): Promise<string | undefined> {
  try {
    const response = await api.request('GET /app');
    return response.status === 200 ? (response.body as { slug?: string }).slug : undefined;
  } catch {
    return undefined;
  }
}

async function findInstallation(
  api: GitHubApi,
  target: InstallationTarget,
  issuer: string,
  apiUrl: string,
): Promise<Installation> {
  const [first] = target.repositories;
  const where = first ? `${target.owner}/${first}` : target.owner;
  const path = first
    ? `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(first)}/installation`
    : `/users/${encodeURIComponent(target.owner)}/installation`;
  const response = first
    ? await api.request('GET /repos/{owner}/{repo}/installation', { owner: target.owner, repo: first })
    : await api.request('GET /users/{username}/installation', { username: target.owner });
  if (response.status === 200) return response.body as Installation;
  const fromApi = typeof response.body === 'object' && response.body !== null && 'message' in response.body;
  if (response.status === 404 && !fromApi)
    throw new GitHubApiError(
      `GET ${path} answered 404 with a page that is not GitHub's API: github-api-url '${apiUrl}' is not a GitHub REST API base. For GitHub Enterprise Server it is https://HOST/api/v3.`,
      404,
    );
  if (response.status === 404 && !/Integration not found/.test(apiMessage(response))) {
    // One more request, on this failure only, for a link the reader can click.
    const slug = await appSlug(api);
    const install = slug ? ` Install it from ${installAppUrl(apiUrl, slug)}` : " Install it from the app's public page";
    const scope = first ? `${install} and give it access to ${where}.` : `${install} on ${target.owner}.`;
    throw new GitHubApiError(
      `The app${slug ? ` ${slug}` : ''} is not installed on ${where}${first ? ', or that repository does not exist' : ''} (GET ${path} answered 404).${scope} To use an installation on another account, set owner (and repositories).`,
      404,
    );
  }
  throw new GitHubApiError(
    describeAppFailure(response, `Finding the installation on ${where}`, issuer, apiUrl),
    response.status,
  );
}

function describeTokenFailure(
  response: ApiResponse,
  target: InstallationTarget,
  installation: Installation,
  issuer: string,
  apiUrl: string,
): string {
  const message = apiMessage(response);
  const action = `Creating a token for installation ${installation.id}`;
  const settings = installation.account
    ? ` The installation's settings list what it can reach: ${installationSettingsUrl(apiUrl, installation.account, installation.id)}`
    : '';
  if (response.status === 422 && /repositor/i.test(message))
    return `${action} failed: GitHub answered 422 "${message}". One of the repositories (${target.repositories.join(', ')}) does not exist on ${target.owner} or is not among those the installation can reach; names are matched within owner '${target.owner}'.${settings}`;
  if (response.status === 422 && /permission/i.test(message)) {
    const requested = Object.entries(target.permissions ?? {})
      .map(([name, level]) => `${name}: ${level}`)
      .join(', ');
    const granted = installation.permissions
      ? ` It grants: ${Object.entries(installation.permissions)
          .map(([name, level]) => `${name}: ${level}`)
          .join(', ')}.`
      : '';
    return `${action} failed: GitHub answered 422 "${message}". Requested: ${requested}.${granted} Request only what the app has been granted, or change the app's permissions and have the owner accept them.${settings}`;
  }
  if (response.status === 404 && target.installationId !== undefined && !/Integration not found/.test(message))
    return `${action} failed: app ${issuer} has no installation ${installation.id} (404 "${message}"). Check installation-id, or leave it out and set owner (and repositories) so the action looks the installation up.`;
  return describeAppFailure(response, action, issuer, apiUrl);
}

/**
 * Finds the installation (unless its ID is given) and exchanges the app JWT for an installation token scoped
 * to `target`. Requests: one with an installation ID, two with a lookup.
 */
export async function createInstallationToken(
  api: GitHubApi,
  where: { issuer: string; apiUrl: string },
  target: InstallationTarget,
): Promise<Credentials> {
  const installation: Installation =
    target.installationId !== undefined
      ? { id: target.installationId }
      : await findInstallation(api, target, where.issuer, where.apiUrl);

  if (target.permissions && installation.permissions) {
    const missing = findUngrantedPermissions(target.permissions, installation.permissions);
    if (missing.length)
      throw new GitHubApiError(
        `Stopped before asking for a token on ${installation.account?.login ?? target.owner}, since GitHub would refuse it. ${describeUngranted(missing, installation.permissions)}`,
      );
  }

  const body: { repositories?: string[]; permissions?: Permissions } = {};
  if (target.repositories.length) body.repositories = target.repositories;
  if (target.permissions) body.permissions = target.permissions;
  const response = await api.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: installation.id,
    data: body,
  });
  if (response.status !== 201)
    throw new GitHubApiError(
      describeTokenFailure(response, target, installation, where.issuer, where.apiUrl),
      response.status,
    );

  const granted = response.body as AccessToken;
  const expiresAt = new Date(granted.expires_at);
  const outputs: Record<string, string> = {
    'installation-id': String(installation.id),
    permissions: JSON.stringify(granted.permissions ?? {}),
  };
  if (installation.app_slug) outputs['app-slug'] = installation.app_slug;
  const repositories = granted.repositories?.map((r) => r.name) ?? target.repositories;
  return {
    token: granted.token,
    tokenType: 'installation',
    expiresAt,
    secrets: [granted.token],
    outputs,
    summary: [
      ['Installation', `${installation.id}${installation.account ? ` on ${installation.account.login}` : ''}`],
      [
        'Repositories',
        repositories.length
          ? repositories.map((name) => `${target.owner}/${name}`).join(', ')
          : 'every repository the installation can reach',
      ],
      [
        'Permissions',
        Object.entries(granted.permissions ?? {})
          .map(([name, level]) => `${name}: ${level}`)
          .join(', '),
      ],
      ['Token expires', expiresAt.toISOString()],
    ],
  };
}
