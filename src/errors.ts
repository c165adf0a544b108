/** A failure whose message is written for the person reading the job log: what failed, why, what to do. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A problem with one input: the message names the input, what is wrong and how to fix it. */
export class InputError extends ActionError {
  readonly input: string;
  /** The message without the input's name, for front ends that name inputs differently (the CLI's flags). */
  readonly detail: string;
  constructor(input: string, detail: string) {
    super(`Input '${input}': ${detail}`);
    this.input = input;
    this.detail = detail;
  }
}

/** An error's message without its final full stop, to go inside a sentence. */
export function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

export function describeFailure(error: unknown): string {
  if (error instanceof ActionError) return error.message;
  return `app-jwt-action failed unexpectedly: ${reasonOf(error)}. Please report this with the step's log.`;
}
