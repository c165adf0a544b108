import type { SignedJwt } from './jwt.js';

/** What a run hands to later steps; `secrets` lists everything the runner must mask first. */
export interface Credentials {
  token: string;
  tokenType: 'jwt' | 'installation' | 'access';
  expiresAt: Date;
  jwt?: SignedJwt;
  secrets: string[];
  /** Further step outputs, by name (installation-id, app-slug, permissions). */
  outputs: Record<string, string>;
  /** What the post step needs to revoke the token; absent when there is nothing to revoke. */
  revoke?: Record<string, string>;
  /** Rows of the job summary, label and value; never a secret. */
  summary: [string, string][];
}
