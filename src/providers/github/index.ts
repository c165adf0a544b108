// GitHub Apps: an RS256 app JWT, optionally exchanged for an installation token that the post step revokes.
import { jwtSecrets } from '../../keys/jwt/sign.js';
import { signerFor, signingKeySecrets } from '../../settings/signing-key.js';
import type { Provider } from '../provider.js';
import { appJwtSource, githubAppClaims } from './app-jwt.js';
import { GITHUB_INPUTS, readGitHubSettings, type GitHubSettings } from './settings.js';

export const github: Provider<GitHubSettings> = {
  name: 'github',
  inputs: GITHUB_INPUTS,
  readSettings: readGitHubSettings,
  secrets: (settings) => {
    if (settings.fallback) return [settings.fallback.token];
    const { credential } = settings;
    return credential.kind === 'presigned' ? jwtSecrets(credential.jwt) : signingKeySecrets(credential);
  },
  async issue(settings, context) {
    if (settings.fallback) {
      // Passed on as is: never revoked (it would end the job's own GITHUB_TOKEN), no other token output.
      context.log.notice(
        `No app key was given (${settings.fallback.why}), so the step passes fallback-token on as its token.`,
      );
      return {
        token: settings.fallback.token,
        tokenType: 'fallback',
        secrets: [settings.fallback.token],
        outputs: {},
        summary: [
          ['Provider', 'GitHub'],
          ['Token', `fallback-token, since ${settings.fallback.why}`],
        ],
      };
    }
    const { credential } = settings;
    const jwt = appJwtSource(
      credential.kind === 'presigned' ? credential : { kind: 'signer', signer: await signerFor(credential, context) },
      () => githubAppClaims(settings.issuer, settings.jwtExpiresIn, context.clock),
      context.mask,
      context.clock,
    );
    if (settings.exchange) {
      const { exchangeForInstallationToken } = await import('./exchange.js');
      return exchangeForInstallationToken(settings, settings.exchange, jwt, context);
    }
    const signed = await jwt.next();
    context.log.info(
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
  },
  async revoke(record, context) {
    const { revokeGitHubToken } = await import('./exchange.js');
    return revokeGitHubToken(record, context);
  },
};
