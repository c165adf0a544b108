import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';

export interface VonageClaimsOptions {
  applicationId: string;
  jwtExpiresIn: number;
  subject?: string;
  acl?: Record<string, unknown>;
}

/** Vonage's claims: application_id, iat (now), a fresh jti, exp; sub and acl only when given. */
export function vonageClaims(options: VonageClaimsOptions, clock: Clock, jti: () => string = randomUUID) {
  const now = clock.now();
  return {
    application_id: options.applicationId,
    iat: now,
    jti: jti(),
    exp: now + options.jwtExpiresIn,
    ...(options.subject ? { sub: options.subject } : {}),
    ...(options.acl ? { acl: options.acl } : {}),
  };
}
