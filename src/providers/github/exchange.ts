// The token path, loaded only when an installation token is wanted: octokit, the lookup and the exchange.
import type { Credentials, ProviderContext, RevokeRecord } from '../provider.js';
import { revokedAfterJob } from '../provider.js';
import { createGitHubApi } from './api.js';
import type { AppJwtSource } from './app-jwt.js';
import { createInstallationToken } from './installation.js';
import { revokeInstallationToken } from './revoke.js';
import type { GitHubExchange, GitHubSettings } from './settings.js';

export async function exchangeForInstallationToken(
  settings: GitHubSettings,
  exchange: GitHubExchange,
  jwt: AppJwtSource,
  context: ProviderContext,
): Promise<Credentials> {
  const { apiUrl, target } = exchange;
  const api = createGitHubApi({
    transport: await context.transport(),
    apiUrl,
    clock: context.clock,
    log: context.log,
    auth: { app: jwt },
  });
  const credentials = await createInstallationToken(api, { issuer: String(settings.issuer), apiUrl }, target);
  const scope = target.repositories.length
    ? target.repositories.map((name) => `${target.owner}/${name}`).join(', ')
    : `every repository of ${target.owner} the installation can reach`;
  context.log.info(
    `Created an installation token (installation ${credentials.outputs['installation-id']}) for ${scope}; it expires at ${credentials.expiresAt.toISOString()}.`,
  );
  const slug = credentials.outputs['app-slug'];
  const withJwt: Credentials = {
    ...credentials,
    summary: [
      ['Provider', 'GitHub App'],
      ['App', slug ? `${slug} (${settings.issuer})` : String(settings.issuer)],
      ['API', apiUrl],
      ...credentials.summary,
      ['JWT expires', jwt.last()?.expiresAt.toISOString() ?? ''],
    ],
    jwt: jwt.last(),
  };
  const record: RevokeRecord = {
    provider: 'github',
    token: credentials.token,
    apiUrl,
    expiresAt: credentials.expiresAt.toISOString(),
  };
  return revokedAfterJob(withJwt, record, exchange.skipTokenRevoke);
}

export async function revokeGitHubToken(record: RevokeRecord, context: ProviderContext): Promise<string> {
  const api = createGitHubApi({
    transport: await context.transport(),
    apiUrl: record.apiUrl,
    clock: context.clock,
    log: context.log,
    auth: { token: record.token },
  });
  return revokeInstallationToken(api);
}
