import { runPost } from './post-step.js';
import { createRunner } from './runner.js';

await runPost({ runner: createRunner(), env: process.env });
