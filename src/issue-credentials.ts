import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { Settings } from './inputs.js';
import { issueGitHubCredentials } from './providers/github-credentials.js';
import { issueVonageJwt } from './providers/vonage.js';
import type { Runner } from './runner.js';

/** What issuing credentials needs from outside: the runner to mask and log, the clock, the environment. */
export interface IssueDependencies {
  runner: Runner;
  clock: Clock;
  env: Record<string, string | undefined>;
}

/** The credentials the settings ask for, from whichever provider they name. */
export async function issueCredentials(settings: Settings, deps: IssueDependencies): Promise<Credentials> {
  switch (settings.provider) {
    case 'github':
      return issueGitHubCredentials(settings, deps);
    case 'vonage':
      return issueVonageJwt(settings, deps);
    case 'ringcentral': {
      const { issueRingCentralToken } = await import('./providers/ringcentral-credentials.js');
      return issueRingCentralToken(settings, deps);
    }
  }
}
