// What the main step saves for the post step, each key named once.
import * as core from '@actions/core';
import type { RevokeRecord } from '../providers/provider.js';

export const State = {
  /** JSON: the tokens to revoke, as RevokeRecord[]. */
  revoke: 'revoke',
} as const;

export function saveRevokeRecords(records: readonly RevokeRecord[]): void {
  core.saveState(State.revoke, JSON.stringify(records));
}

/** The saved records; what cannot be one (state written by hand, or by another action) is left out, and said. */
export function loadRevokeRecords(): { records: RevokeRecord[]; problem?: string } {
  const text = core.getState(State.revoke);
  if (!text) return { records: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { records: [], problem: 'the saved state is not what this action saves' };
  }
  const isRecord = (value: unknown): value is RevokeRecord => {
    const r = value as Partial<RevokeRecord> | null;
    return (
      !!r &&
      typeof r.provider === 'string' &&
      typeof r.token === 'string' &&
      !!r.token &&
      typeof r.apiUrl === 'string' &&
      typeof r.expiresAt === 'string'
    );
  };
  if (!Array.isArray(parsed) || !parsed.every(isRecord))
    return { records: [], problem: 'the saved state is not what this action saves' };
  return { records: parsed };
}
