// The main step's results, as the runner sees them: every secret masked first, then the outputs, the post
// step's state, and the job summary.
import * as core from '@actions/core';
import type { Credentials } from '../providers/provider.js';
import type { Mask } from './mask.js';
import { saveRevokeRecords } from './state.js';

/** A summary cell: its text can come from a server, so Markdown and HTML are escaped and lines joined. */
export function summaryCell(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`);
}

/** The job summary: what was issued, for whom and until when; built from rows that never hold a secret. */
export function summaryMarkdown(credentials: Credentials): string {
  const kind = {
    jwt: 'a JWT',
    installation:
      credentials.tokens && Object.keys(credentials.tokens).length > 1
        ? 'installation tokens'
        : 'an installation token',
    access: 'an access token',
    fallback: 'no token: it passed on the fallback token',
  }[credentials.tokenType];
  return [
    `### app-jwt-action issued ${kind}`,
    '',
    '| | |',
    '|---|---|',
    ...credentials.summary.map(([label, value]) => `| ${summaryCell(label)} | ${summaryCell(value)} |`),
    '',
  ].join('\n');
}

export async function publishCredentials(credentials: Credentials, mask: Mask): Promise<void> {
  for (const secret of credentials.secrets) mask(secret);
  core.setOutput('token', credentials.token);
  core.setOutput('token-type', credentials.tokenType);
  if (credentials.expiresAt) core.setOutput('expires-at', credentials.expiresAt.toISOString());
  if (credentials.tokens) core.setOutput('tokens', JSON.stringify(credentials.tokens));
  if (credentials.jwt) {
    core.setOutput('jwt', credentials.jwt.token);
    core.setOutput('jwt-expires-at', credentials.jwt.expiresAt.toISOString());
  }
  for (const [name, value] of Object.entries(credentials.outputs)) core.setOutput(name, value);
  if (credentials.revoke?.length) saveRevokeRecords(credentials.revoke);
  // core.summary refuses to write without the runner's summary file (a local run).
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryMarkdown(credentials), true).write();
}
