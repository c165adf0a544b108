// What the main step checks of its inputs before reading them: every key- or token-shaped value masked, and
// actions/create-github-app-token's permission-<name> inputs refused with the one line to write instead.
import { knownInputs, maskSecretShapedInputs, peerPermissionError } from '../../src/action/input-checks.js';
import { createMask } from '../../src/action/mask.js';
import { PROVIDERS } from '../../src/providers/index.js';
import { fakeRunner } from '../../test/fake-runner.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const runner = fakeRunner();
afterAll(() => runner.remove());

const GHS = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const KEY_LINES = APP_KEY_PEM.trim().split('\n').slice(1, -1);

test('the inputs it knows are the provider input and every provider’s, each once', () => {
  const inputs = knownInputs();
  expect(inputs[0]).toBe('provider');
  for (const provider of PROVIDERS) expect(inputs).toEqual(expect.arrayContaining([...provider.inputs]));
  expect(new Set(inputs).size).toBe(inputs.length);
});

describe('masking', () => {
  const masksFor = async (inputs: Record<string, string>) =>
    (await runner.run(async () => maskSecretShapedInputs(createMask()), { inputs })).masks;

  test('a key in app-id and a token in owner are masked, line by line; ordinary values are not', async () => {
    const masks = await masksFor({ 'app-id': APP_KEY_PEM, owner: GHS, repositories: 'api, web', provider: 'github' });
    expect(masks).toEqual([...KEY_LINES, GHS]);
  });

  test('a value in an input of every provider is looked at: server-url, subject, acl', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJlLWJ5dGVz';
    const masks = await masksFor({ 'server-url': `https://x/?t=${GHS}`, subject: jwt, acl: 'paths: {}' });
    // In the registry's order: vonage's subject before ringcentral's server-url.
    expect(masks).toEqual([jwt, 'c2lnbmF0dXJlLWJ5dGVz', `https://x/?t=${GHS}`, GHS]);
  });

  test("the peer's permission inputs are looked at too", async () => {
    expect(await masksFor({ 'permission-contents': GHS })).toEqual([GHS]);
  });

  test('an input the action does not know is left alone', async () => {
    expect(await masksFor({ 'not-an-input': GHS })).toEqual([]);
  });
});

describe("the peer's permission-<name> inputs", () => {
  test('none: no error', () => {
    expect(peerPermissionError({ INPUT_PERMISSIONS: 'contents: read' })).toBeUndefined();
  });

  test('several: one message names each, in order, with the one permissions line', () => {
    expect(
      peerPermissionError({
        'INPUT_PERMISSION-PULL-REQUESTS': 'write',
        'INPUT_PERMISSION-CONTENTS': ' read ',
        'INPUT_PERMISSION-ISSUES': '',
      }),
    ).toBe(
      "Inputs 'permission-contents', 'permission-issues' and 'permission-pull-requests' are inputs of actions/create-github-app-token, which this action does not read: the token's permissions come from one input, permissions, as a YAML or JSON mapping. Replace them with this one line: permissions: '{contents: read, pull-requests: write}'.",
    );
  });

  test('a level that is not a word (a secret pasted there) is written LEVEL, never quoted', () => {
    const message = peerPermissionError({ 'INPUT_PERMISSION-CONTENTS': GHS })!;
    expect(message).toMatch(/permissions: '\{contents: LEVEL\}'\.$/);
    expect(message).not.toContain(GHS);
  });
});
