import { InputError } from '../../src/errors.js';
import { checkForeignInputs, chooseProvider, providerNamed, PROVIDERS } from '../../src/providers/index.js';
import { createInputReader } from '../../src/settings/inputs.js';

const reader = (inputs: Record<string, string>) => createInputReader((name) => inputs[name] ?? '');

function errorOf(act: () => unknown): InputError {
  try {
    act();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

const foreign = (chosen: string, inputs: Record<string, string>) =>
  errorOf(() => checkForeignInputs(reader(inputs), providerNamed(chosen)!));

test('the registry holds github, vonage and ringcentral, in that order, each found by its name', () => {
  expect(PROVIDERS.map((p) => p.name)).toEqual(['github', 'vonage', 'ringcentral']);
  for (const provider of PROVIDERS) expect(providerNamed(provider.name)).toBe(provider);
  expect(providerNamed('GitHub')).toBeUndefined();
  expect(providerNamed('')).toBeUndefined();
});

describe('choosing the provider', () => {
  test('an empty provider input means github', () => {
    expect(chooseProvider(reader({})).name).toBe('github');
    expect(chooseProvider(reader({ provider: '  ' })).name).toBe('github');
  });

  test.each(['github', 'vonage', 'ringcentral'])('%s is chosen by its name', (name) => {
    expect(chooseProvider(reader({ provider: ` ${name} ` })).name).toBe(name);
  });

  test('an unknown provider is named with the three that exist, and the one it resembles', () => {
    const error = errorOf(() => chooseProvider(reader({ provider: 'GitHub-App' })));
    expect(error.input).toBe('provider');
    expect(error.message).toBe(
      "Input 'provider': 'GitHub-App' is not a provider this action serves: write github, vonage or ringcentral (github?).",
    );
    expect(errorOf(() => chooseProvider(reader({ provider: 'RingCentral' }))).message).toMatch(/ \(ringcentral\?\)\.$/);
  });

  test('an unknown provider that resembles none gets no guess', () => {
    expect(errorOf(() => chooseProvider(reader({ provider: 'gitlab' }))).message).toBe(
      "Input 'provider': 'gitlab' is not a provider this action serves: write github, vonage or ringcentral.",
    );
  });
});

describe('an input of another provider is an error, not ignored', () => {
  test.each([
    ['github', 'acl', 'vonage'],
    ['github', 'subject', 'vonage'],
    ['github', 'client-secret', 'ringcentral'],
    ['github', 'server-url', 'ringcentral'],
    ['vonage', 'owner', 'github'],
    ['vonage', 'exchange', 'github'],
    ['vonage', 'installation-id', 'github'],
    ['vonage', 'repositories', 'github'],
    ['vonage', 'permissions', 'github'],
    ['vonage', 'client-secret', 'ringcentral'],
    ['vonage', 'server-url', 'ringcentral'],
    ['ringcentral', 'acl', 'vonage'],
    ['ringcentral', 'subject', 'vonage'],
    ['ringcentral', 'owner', 'github'],
    ['ringcentral', 'exchange', 'github'],
  ])('%s with %s: remove it, or set provider: %s', (chosen, input, owner) => {
    const error = foreign(chosen, { [input]: 'something' });
    expect(error.input).toBe(input);
    expect(error.message).toBe(
      `Input '${input}': is for provider: ${owner}, and this step has provider: ${chosen}. Remove it, or set provider: ${owner}.`,
    );
  });

  test.each([
    ['vonage', 'jwt', 'github or ringcentral'],
    ['vonage', 'client-id', 'github or ringcentral'],
    ['vonage', 'skip-token-revoke', 'github or ringcentral'],
    ['ringcentral', 'app-id', 'github or vonage'],
    ['ringcentral', 'private-key', 'github or vonage'],
    ['ringcentral', 'jwt-expires-in', 'github or vonage'],
  ])('%s with %s, an input of %s: remove it', (chosen, input, owners) => {
    const error = foreign(chosen, { [input]: 'true' });
    expect(error.input).toBe(input);
    expect(error.message).toBe(
      `Input '${input}': is for provider: ${owners}, and this step has provider: ${chosen}. Remove it.`,
    );
  });

  test("each provider's own inputs are not foreign to it", () => {
    for (const provider of PROVIDERS) {
      const own = Object.fromEntries(provider.inputs.map((name) => [name, 'x']));
      expect(() => checkForeignInputs(reader(own), provider)).not.toThrow();
    }
  });

  test('defaults of other providers are not mistaken for inputs: empty, false, and github-api-url', () => {
    const defaults = {
      exchange: 'false',
      'skip-token-revoke': 'False',
      permissions: '',
      'github-api-url': 'https://api.github.com',
    };
    for (const name of ['vonage', 'ringcentral'])
      expect(() => checkForeignInputs(reader(defaults), providerNamed(name)!)).not.toThrow();
  });
});

test('a token in provider is described, not quoted, and gets no hint drawn from its text', () => {
  const error = errorOf(() => chooseProvider(reader({ provider: 'ghp_0123456789abcdefghijgithub' })));
  expect(error.message).toBe(
    "Input 'provider': a GitHub token (30 characters) is not a provider this action serves: write github, vonage or ringcentral.",
  );
});
