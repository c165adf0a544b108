import { runMain } from './main-step.js';
import { createClock } from './clock.js';
import { createRunner } from './runner.js';

await runMain({ runner: createRunner(), clock: createClock(), env: process.env });
