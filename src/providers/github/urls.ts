/**
 * Where people go in a browser for what the API says: the same host for GitHub Enterprise Server
 * (https://HOST/api/v3), SUBDOMAIN.ghe.com for api.SUBDOMAIN.ghe.com, github.com for everything else.
 */
export function webUrl(apiUrl: string): { base: string; server: boolean } {
  const url = new URL(apiUrl);
  if (/\/api\/v3\/?$/.test(url.pathname)) return { base: url.origin, server: true };
  if (/^api\.[^.]+\.ghe\.com$/.test(url.hostname))
    return { base: `https://${url.hostname.slice('api.'.length)}`, server: false };
  return { base: 'https://github.com', server: false };
}

/** The page where an owner installs the app (GitHub Enterprise Server spells the path differently). */
export function installAppUrl(apiUrl: string, slug: string): string {
  const { base, server } = webUrl(apiUrl);
  return `${base}/${server ? 'github-apps' : 'apps'}/${slug}/installations/new`;
}

/** The page that lists the repositories and permissions an installation has. */
export function installationSettingsUrl(apiUrl: string, account: { login: string; type?: string }, id: number): string {
  const { base } = webUrl(apiUrl);
  return account.type === 'Organization'
    ? `${base}/organizations/${account.login}/settings/installations/${id}`
    : `${base}/settings/installations/${id}`;
}
