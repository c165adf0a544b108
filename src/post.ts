import { runPost } from './post-step.js';
import { createRunner } from './runner.js';

const runner = createRunner();
// The post step never fails the job: even an unforeseen error is only a warning.
await runPost({ runner, env: process.env }).catch((error: unknown) =>
  runner.warning(`The post step could not finish: ${error instanceof Error ? error.message : String(error)}`),
);
