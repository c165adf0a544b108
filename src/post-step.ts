import type { Runner } from './runner.js';

/** The post step: revoke what the main step issued. Never fails the job. */
export async function runPost({ runner }: { runner: Runner }): Promise<void> {
  runner.debug('Nothing to revoke: this run issued only a JWT, which expires by itself.');
}
