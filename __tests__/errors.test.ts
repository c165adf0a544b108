import { ActionError, describeFailure, InputError } from '../src/errors.js';
import { PrivateKeyError } from '../src/keys/private-key.js';

test('an InputError names the input, and keeps the detail for front ends that name it differently', () => {
  const error = new InputError('owner', "'a/b' is a repository, not an account.");
  expect(error).toBeInstanceOf(ActionError);
  expect(error.message).toBe("Input 'owner': 'a/b' is a repository, not an account.");
  expect(error.input).toBe('owner');
  expect(error.detail).toBe("'a/b' is a repository, not an account.");
});

test('each error class is named for itself', () => {
  expect(new ActionError('x').name).toBe('ActionError');
  expect(new InputError('a', 'b').name).toBe('InputError');
  expect(new PrivateKeyError('is empty.').name).toBe('PrivateKeyError');
});

test('an ActionError is told as it is', () => {
  expect(describeFailure(new InputError('app-id', 'is required.'))).toBe("Input 'app-id': is required.");
  expect(describeFailure(new ActionError('GitHub refused the JWT.'))).toBe('GitHub refused the JWT.');
});

test('anything else is unforeseen: told with a request for a report', () => {
  expect(describeFailure(new TypeError('x is undefined'))).toBe(
    "app-jwt-action failed unexpectedly: x is undefined. Please report this with the step's log.",
  );
  expect(describeFailure('a string')).toBe(
    "app-jwt-action failed unexpectedly: a string. Please report this with the step's log.",
  );
});
