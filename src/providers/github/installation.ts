// Finding the app's installation and exchanging the app JWT for an installation token, with the cause and the
// fix for every answer GitHub gives on the way.
import type { ApiResponse } from '../../http/response.js';
import { apiMessage, GitHubApiError, type GitHubApi } from './api.js';
import { readAccessToken, readAppSlug, readInstallation, type AccessToken, type Installation } from './answers.js';
import { describeUngranted, findUngrantedPermissions, type Permissions } from './permissions.js';
import type { InstallationTarget } from './targets.js';
import { installAppUrl, installationSettingsUrl } from './urls.js';

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

/** The app's slug (GET /app), for links and the bot's name; undefined when GitHub does not say. */
export async function appSlug(api: GitHubApi, apiUrl: string): Promise<string | undefined> {
  try {
    const response = await api.request('GET /app');
    return response.status === 200 ? readAppSlug(response.body, apiUrl) : undefined;
  } catch {
    return undefined;
  }
}

/** Why an app gets no enterprise token, and what makes it possible. */
function notEnterpriseApp(enterprise: string): string {
  return `The app cannot have a token for the enterprise ${enterprise}: it must be an enterprise-owned app (owned by the enterprise or one of its organizations), installed by an enterprise owner, with enterprise permissions.`;
}

async function findInstallation(
  api: GitHubApi,
  target: InstallationTarget,
  issuer: string,
  apiUrl: string,
): Promise<Installation> {
  const [first] = target.repositories;
  const where = target.enterprise
    ? `the enterprise ${target.owner}`
    : first
      ? `${target.owner}/${first}`
      : target.owner;
  const segment = encodeURIComponent;
  const path = target.enterprise
    ? `/enterprises/${segment(target.owner)}/installation`
    : first
      ? `/repos/${segment(target.owner)}/${segment(first)}/installation`
      : `/users/${segment(target.owner)}/installation`;
  const response = target.enterprise
    ? await api.request('GET /enterprises/{enterprise}/installation', { enterprise: target.owner })
    : first
      ? await api.request('GET /repos/{owner}/{repo}/installation', { owner: target.owner, repo: first })
      : await api.request('GET /users/{username}/installation', { username: target.owner });
  if (response.status === 200) return readInstallation(response.body, `200 to GET ${path}`, apiUrl);
  const fromApi = typeof response.body === 'object' && response.body !== null && 'message' in response.body;
  if (response.status === 404 && !fromApi)
    throw new GitHubApiError(
      `GET ${path} answered 404 with a page that is not GitHub's API: github-api-url '${apiUrl}' is not a GitHub REST API base. For GitHub Enterprise Server it is https://HOST/api/v3.`,
      404,
    );
  if (
    (response.status === 403 || response.status === 422) &&
    target.enterprise &&
    /enterprise/i.test(apiMessage(response))
  )
    throw new GitHubApiError(
      `Finding the installation on the enterprise ${target.owner} failed: GitHub answered ${response.status} "${apiMessage(response)}". ${notEnterpriseApp(target.owner)}`,
      response.status,
    );
  if (response.status === 404 && target.enterprise && !/Integration not found/.test(apiMessage(response)))
    throw new GitHubApiError(
      `The app is not installed on the enterprise ${target.owner}, or ${target.owner} is not the slug of an enterprise the app can see (GET ${path} answered 404). ` +
        'Only an app owned by the enterprise (or by one of its organizations) can be installed on it: an enterprise owner installs it under Enterprise settings > GitHub Apps. ' +
        "Check the slug in the enterprise's URL (https://github.com/enterprises/SLUG).",
      404,
    );
  if (response.status === 404 && !/Integration not found/.test(apiMessage(response))) {
    // One more request, on this failure only, for a link the reader can click.
    const slug = await appSlug(api, apiUrl);
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
  // An enterprise installation's page is under the enterprise's settings, not at a URL the account can give.
  const settings =
    installation.account && installation.account.type !== 'Enterprise'
      ? ` The installation's settings list what it can reach: ${installationSettingsUrl(apiUrl, installation.account, installation.id)}`
      : '';
  if ((response.status === 403 || response.status === 422) && target.enterprise && /enterprise/i.test(message))
    return `${action} failed: GitHub answered ${response.status} "${message}". ${notEnterpriseApp(target.owner)}`;
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

/** One installation's token, with what the outputs and the summary say of it. */
export interface IssuedToken {
  target: InstallationTarget;
  installation: Installation;
  granted: AccessToken;
}

export interface TokenRequestOptions {
  issuer: string;
  apiUrl: string;
  /** Masks the token the moment GitHub sends it. */
  mask(secret: string): void;
  /** Revokes a token that was issued but cannot be used, before the step fails. */
  revoke(token: string): Promise<unknown>;
}

/**
 * Finds the installation (unless its ID is given) and exchanges the app JWT for an installation token scoped
 * to `target`. Requests: one with an installation ID, two with a lookup.
 */
export async function createInstallationToken(
  api: GitHubApi,
  options: TokenRequestOptions,
  target: InstallationTarget,
): Promise<IssuedToken> {
  const { issuer, apiUrl } = options;
  const installation: Installation =
    target.installationId !== undefined
      ? { id: target.installationId }
      : await findInstallation(api, target, issuer, apiUrl);

  if (target.permissions && installation.permissions && Object.keys(installation.permissions).length) {
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
    throw new GitHubApiError(describeTokenFailure(response, target, installation, issuer, apiUrl), response.status);
  // A token in the answer is masked at once, even when the rest of the answer turns out unusable.
  const token = (response.body as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string' && token) options.mask(token);
  try {
    const granted = readAccessToken(
      response.body,
      `201 to POST /app/installations/${installation.id}/access_tokens`,
      apiUrl,
    );
    return { target, installation, granted };
  } catch (error) {
    if (typeof token !== 'string' || !token) throw error;
    // Revoked before the step fails, and the message says whether that worked: a token may be left behind.
    const revoked = await options.revoke(token).then(
      () => true,
      () => false,
    );
    throw new GitHubApiError(
      `${(error as Error).message} ${revoked ? 'The token in the answer was revoked.' : 'Revoking the token in the answer failed too; it expires by itself (installation tokens last an hour).'}`,
    );
  }
}
