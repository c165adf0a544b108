import type { IssueDependencies } from '../issue-credentials.js';
import type { Credentials } from '../credentials.js';
import type { GitHubSettings } from '../inputs.js';
import { signJwt, type SignedJwt } from '../jwt.js';
import { maskJwt } from '../outputs.js';
import { revokedAfterJob } from '../state.js';
import { withHttpClient } from '../with-http-client.js';
import { githubAppClaims } from './github.js';
import type { AppJwtSource } from './github-app-api.js';

/** Signs with the key and the clock (its offset included), masking each JWT the moment it exists. */
function jwtSource(
  settings: GitHubSettings,
  { runner, clock }: IssueDependencies,
): AppJwtSource & { last?: SignedJwt } {
  if (settings.presignedJwt)
    return { presigned: true, last: settings.presignedJwt, next: () => settings.presignedJwt! };
  const source: AppJwtSource & { last?: SignedJwt } = {
    presigned: false,
    next() {
      const jwt = signJwt(githubAppClaims(settings.issuer, settings.jwtExpiresIn, clock), settings.privateKey!.key);
      maskJwt(runner, jwt);
      source.last = jwt;
      return jwt;
    },
  };
  return source;
}

/** The app JWT, or the installation token it is exchanged for. */
export async function issueGitHubCredentials(settings: GitHubSettings, deps: IssueDependencies): Promise<Credentials> {
  const jwt = jwtSource(settings, deps);
  const { exchange } = settings;
  if (!exchange) {
    const signed = jwt.next();
    deps.runner.info(
      `Signed a JWT for GitHub App ${settings.issuer}; it expires at ${signed.expiresAt.toISOString()}.`,
    );
    return {
      token: signed.token,
      tokenType: 'jwt',
      expiresAt: signed.expiresAt,
      jwt: signed,
      secrets: [],
      outputs: {},
      summary: [
        ['Provider', 'GitHub App'],
        ['App', String(settings.issuer)],
        ['JWT expires', signed.expiresAt.toISOString()],
      ],
    };
  }

  const { createInstallationToken } = await import('./github-installation.js');
  return withHttpClient(deps.runner, deps.env, 'GitHub', async (http) => {
    const credentials = await createInstallationToken(
      {
        http,
        clock: deps.clock,
        apiUrl: exchange.apiUrl,
        jwt,
        issuer: String(settings.issuer),
        log: deps.runner.info,
      },
      exchange.target,
    );
    const scope = exchange.target.repositories.length
      ? exchange.target.repositories.map((name) => `${exchange.target.owner}/${name}`).join(', ')
      : `every repository of ${exchange.target.owner} the installation can reach`;
    deps.runner.info(
      `Created an installation token (installation ${credentials.outputs['installation-id']}) for ${scope}; it expires at ${credentials.expiresAt.toISOString()}.`,
    );
    const slug = credentials.outputs['app-slug'];
    const withJwt: Credentials = {
      ...credentials,
      summary: [
        ['Provider', 'GitHub App'],
        ['App', slug ? `${slug} (${settings.issuer})` : String(settings.issuer)],
        ['API', exchange.apiUrl],
        ...credentials.summary,
        ['JWT expires', jwt.last?.expiresAt.toISOString() ?? ''],
      ],
      jwt: jwt.last,
    };
    return revokedAfterJob(withJwt, 'github', exchange.apiUrl, exchange.skipTokenRevoke);
  });
}
