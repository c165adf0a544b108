// Vonage applications: a signed JWT that Vonage takes as is as `Authorization: Bearer`; nothing to revoke.
import { jwtSecrets } from '../../keys/jwt/sign.js';
import { signerFor, signingKeySecrets } from '../../settings/signing-key.js';
import type { Provider } from '../provider.js';
import { vonageClaims } from './claims.js';
import { readVonageSettings, VONAGE_INPUTS, type VonageSettings } from './settings.js';

export const vonage: Provider<VonageSettings> = {
  name: 'vonage',
  inputs: VONAGE_INPUTS,
  readSettings: readVonageSettings,
  secrets: (settings) => signingKeySecrets(settings.key),
  async issue(settings, context) {
    const signer = await signerFor(settings.key, context);
    const jwt = await signer.sign(vonageClaims(settings, context.clock));
    for (const secret of jwtSecrets(jwt)) context.mask(secret);
    context.log.info(
      `Signed a JWT for Vonage application ${settings.applicationId}; it expires at ${jwt.expiresAt.toISOString()}.`,
    );
    const claims = [
      settings.subject ? `sub: ${settings.subject}` : '',
      settings.acl ? `acl paths: ${Object.keys(settings.acl.paths as object).join(', ')}` : '',
    ];
    return {
      token: jwt.token,
      tokenType: 'jwt',
      expiresAt: jwt.expiresAt,
      jwt,
      secrets: [],
      outputs: {},
      summary: [
        ['Provider', 'Vonage'],
        ['Application', settings.applicationId],
        ['Claims', ['application_id, iat, jti, exp', ...claims.filter(Boolean)].join('; ')],
        ['JWT expires', jwt.expiresAt.toISOString()],
      ],
    };
  },
};
