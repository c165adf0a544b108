// What the main step saves for the post step, each key named once.
import * as core from '@actions/core';
import { InputError } from '../errors.js';
import type { RevokeRecord } from '../providers/provider.js';
import { parseApiBase } from '../settings/api-url.js';

export const State = {
  /** JSON: the tokens to revoke, as RevokeRecord[]. */
  revoke: 'revoke',
  /** JSON: what configure-git changed in the global git config and what was there (src/action/git.ts). */
  git: 'git',
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
  const records: RevokeRecord[] = [];
  for (const record of parsed) {
    const checked = checkRecord(record);
    if (typeof checked === 'string') return { records: [], problem: checked };
    records.push(checked);
  }
  return { records };
}

/**
 * A record is used only as the main step would have made it: the token one line of printable characters (it
 * goes into an Authorization header), the API base checked by the same rule as the main step's inputs (https,
 * or http on loopback). The state is a file any earlier step of the job could have written.
 */
function checkRecord(record: RevokeRecord): RevokeRecord | string {
  if (!/^[\x21-\x7e]+$/.test(record.token))
    return 'the saved token is not one line of printable characters, as every token this action saves is';
  if (!record.apiUrl.trim()) return 'the saved state names no API base to revoke the token at';
  try {
    return { ...record, apiUrl: parseApiBase(record.apiUrl, 'apiUrl') };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // (The fix the input's message ends on, "Use https://…", is not the post step's to give.)
    const detail = error.detail.replace(/\.? Use \S+$/, '').replace(/\.$/, '');
    return `the saved API base fails the check the main step makes of its URL inputs: ${detail}`;
  }
}
