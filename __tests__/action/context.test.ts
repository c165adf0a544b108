// The providers' log on @actions/core: every line is one line that cannot start a workflow command, whichever
// of info, notice, warning or debug writes it.
import { actionContext } from '../../src/action/context.js';
import { createMask } from '../../src/action/mask.js';
import { createClock } from '../../src/clock.js';
import { fakeRunner } from '../../test/fake-runner.ts';

const runner = fakeRunner();
afterAll(() => runner.remove());

const HOSTILE = 'id 77\n::stop-commands::pwned\r\n::add-mask::x';

test.each([
  ['info', `id 77 ⏎ ::stop-commands::pwned ⏎ ::add-mask::x\n`],
  ['notice', `::notice::id 77 ⏎ ::stop-commands::pwned ⏎ ::add-mask::x\n`],
  ['warning', `::warning::id 77 ⏎ ::stop-commands::pwned ⏎ ::add-mask::x\n`],
  ['debug', `::debug::id 77 ⏎ ::stop-commands::pwned ⏎ ::add-mask::x\n`],
] as const)('log.%s writes one line', async (level, line) => {
  const record = await runner.run(async () => actionContext({}, createClock(), createMask()).log[level](HOSTILE));
  expect(record.stdout).toBe(line);
});

test('a line that is all server text cannot start a command', async () => {
  const record = await runner.run(async () =>
    actionContext({}, createClock(), createMask()).log.info('::stop-commands::pwned'),
  );
  expect(record.stdout).toBe(': :stop-commands::pwned\n');
});
