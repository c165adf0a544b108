// The token path, loaded only when an installation token is wanted: octokit, the lookups and the exchanges, one
// per account in parallel; the bot's identity and git's set-up when asked for.
import { ActionError } from '../../errors.js';
import type { BotIdentity, Credentials, ProviderContext, RevokeRecord } from '../provider.js';
import { createGitHubApi, type GitHubApi } from './api.js';
import { readBotUserId } from './answers.js';
import type { AppJwtSource } from './app-jwt.js';
import { appSlug, createInstallationToken, type IssuedToken } from './installation.js';
import { revokeInstallationToken } from './revoke.js';
import type { GitHubAppSettings, GitHubExchange } from './settings.js';
import { webUrl } from './urls.js';

function tokenApi(
  context: ProviderContext,
  apiUrl: string,
  token: string,
  transport: Awaited<ReturnType<ProviderContext['transport']>>,
) {
  return createGitHubApi({ transport, apiUrl, clock: context.clock, log: context.log, auth: { token } });
}

/**
 * `<id>+<slug>[bot]@users.noreply.<host>`: the host name of the web UI (github.com, a GHES host, SUB.ghe.com),
 * without a port, which an address cannot hold.
 */
export function botEmail(apiUrl: string, slug: string, id: number): string {
  return `${id}+${slug}[bot]@users.noreply.${new URL(webUrl(apiUrl).base).hostname}`;
}

/** The app's bot user: one request (GET /users/{slug}[bot]), two when the slug is not known yet. */
async function lookUpBot(
  api: GitHubApi,
  appApi: GitHubApi,
  apiUrl: string,
  slug: string | undefined,
): Promise<BotIdentity> {
  const known = slug ?? (await appSlug(appApi, apiUrl));
  if (!known)
    throw new ActionError(
      `Could not look up the app's bot user: GET /app did not give the app's slug (at ${apiUrl}). Check github-api-url, or leave bot-identity and configure-git out.`,
    );
  const login = `${known}[bot]`;
  const response = await api.request('GET /users/{username}', { username: login });
  if (response.status !== 200)
    throw new ActionError(
      `Could not look up the app's bot user ${login}: GitHub answered ${response.status} to GET /users/${encodeURIComponent(login)}. The bot user exists once the app is installed; check github-api-url.`,
    );
  const id = readBotUserId(response.body, known, apiUrl);
  return { name: login, userId: id, email: botEmail(apiUrl, known, id) };
}

function summaryOf(issued: IssuedToken): [string, string][] {
  const { target, installation, granted } = issued;
  const repositories = granted.repositories ?? target.repositories;
  const account = installation.account?.login ?? target.owner;
  return [
    ['Installation', `${installation.id} on ${account}`],
    [
      'Repositories',
      target.enterprise
        ? `the enterprise ${target.owner}`
        : repositories.length
          ? repositories.map((name) => `${account}/${name}`).join(', ')
          : 'every repository the installation can reach',
    ],
    [
      'Permissions',
      Object.entries(granted.permissions)
        .map(([name, level]) => `${name}: ${level}`)
        .join(', '),
    ],
    ['Token expires', granted.expiresAt.toISOString()],
  ];
}

/** The tokens already issued when the step fails: revoked, and the log says which could not be. */
async function revokeAfterFailure(
  issued: IssuedToken[],
  revoke: (token: string) => Promise<string>,
  context: ProviderContext,
): Promise<void> {
  const outcomes = await Promise.allSettled(issued.map(({ granted }) => revoke(granted.token)));
  const revoked = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
  if (revoked)
    context.log.info(
      `Revoked the ${revoked === 1 ? 'token' : `${revoked} tokens`} already issued, since the step failed.`,
    );
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') return;
    const { target, installation, granted } = issued[index];
    const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    context.log.warning(
      `The step failed after the token for ${installation.account?.login ?? target.owner} was issued, and revoking it failed too: ${reason.replace(/\.$/, '')}. It expires by itself at ${granted.expiresAt.toISOString()}.`,
    );
  });
}

export async function exchangeForInstallationToken(
  settings: GitHubAppSettings,
  exchange: GitHubExchange,
  jwt: AppJwtSource,
  context: ProviderContext,
): Promise<Credentials> {
  const { apiUrl, targets } = exchange;
  const transport = await context.transport();
  const api = createGitHubApi({ transport, apiUrl, clock: context.clock, log: context.log, auth: { app: jwt } });
  const revoke = (token: string) => revokeInstallationToken(tokenApi(context, apiUrl, token, transport));
  const options = { issuer: String(settings.issuer), apiUrl, mask: context.mask, revoke };
  // Accounts in parallel; a failure anywhere revokes the tokens the others got before the step fails.
  const outcomes = await Promise.allSettled(targets.map((target) => createInstallationToken(api, options, target)));
  const issued = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  let bot: BotIdentity | undefined;
  try {
    if (failed) throw failed.reason;
    if (exchange.botIdentity)
      bot = await lookUpBot(
        tokenApi(context, apiUrl, issued[0].granted.token, transport),
        api,
        apiUrl,
        issued[0].installation.appSlug,
      );
  } catch (error) {
    await revokeAfterFailure(issued, revoke, context);
    throw error;
  }

  for (const { target, installation, granted } of issued) {
    const account = installation.account?.login ?? target.owner;
    const scope = target.enterprise
      ? `the enterprise ${target.owner}`
      : target.repositories.length
        ? target.repositories.map((name) => `${account}/${name}`).join(', ')
        : `every repository of ${account} the installation can reach`;
    context.log.info(
      `Created an installation token (installation ${installation.id}) for ${scope}; it expires at ${granted.expiresAt.toISOString()}.`,
    );
    if (granted.expiresAt.getTime() <= context.clock.now() * 1000)
      context.log.warning(
        `GitHub issued the token for ${account} already expired (at ${granted.expiresAt.toISOString()}, by GitHub's clock as the runner sees it). Later steps will get 401 with it; check the runner's clock, and GitHub's status.`,
      );
  }
  const [first] = issued;
  const slug = first.installation.appSlug;
  const outputs: Record<string, string> = {
    'installation-id': String(first.installation.id),
    permissions: JSON.stringify(first.granted.permissions),
  };
  if (slug) outputs['app-slug'] = slug;
  if (bot) Object.assign(outputs, { 'bot-name': bot.name, 'bot-user-id': String(bot.userId), 'bot-email': bot.email });
  const accountOf = (one: IssuedToken) => one.installation.account?.login ?? one.target.owner;
  const tokens = Object.fromEntries(issued.map((one) => [accountOf(one), one.granted.token]));
  const several = issued.length > 1;
  const records: RevokeRecord[] = issued.map(({ granted }) => ({
    provider: 'github',
    token: granted.token,
    apiUrl,
    expiresAt: granted.expiresAt.toISOString(),
  }));
  const summary: [string, string][] = [
    ['Provider', 'GitHub App'],
    ['App', slug ? `${slug} (${settings.issuer})` : String(settings.issuer)],
    ['API', apiUrl],
    ...issued.flatMap((one) =>
      several ? [['Account', accountOf(one)] as [string, string], ...summaryOf(one)] : summaryOf(one),
    ),
    ...(bot ? [['Bot user', `${bot.name} (${bot.userId})`] as [string, string]] : []),
    ['JWT expires', jwt.last()?.expiresAt.toISOString() ?? ''],
    ['Revoked after the job', exchange.skipTokenRevoke ? 'no (skip-token-revoke)' : 'yes'],
  ];
  return {
    token: first.granted.token,
    tokenType: 'installation',
    expiresAt: first.granted.expiresAt,
    jwt: jwt.last(),
    secrets: issued.map(({ granted }) => granted.token),
    outputs,
    tokens,
    bot,
    git:
      exchange.git && bot
        ? {
            serverUrl: exchange.git.serverUrl,
            user: bot,
            tokens: issued.map((one) => ({ account: accountOf(one), token: one.granted.token })),
          }
        : undefined,
    summary,
    revoke: exchange.skipTokenRevoke ? undefined : records,
    // skip-token-revoke or not: a step that fails after this (outputs, git) revokes them, as none reached a later step.
    issued: records,
  };
}

export async function revokeGitHubToken(record: RevokeRecord, context: ProviderContext): Promise<string> {
  return revokeInstallationToken(tokenApi(context, record.apiUrl, record.token, await context.transport()));
}
